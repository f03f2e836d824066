/**
 * @module
 * The few REST calls the cluster measures make, with plain fetch.
 */
import type { JobDefinitionDto } from '@flinknet/contracts';
import { authHeaders, type Server } from './server';

export interface JobView {
  jobId: string;
  status: string;
  attempt: number;
  startTime?: string | null;
}

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok)
    throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

/** POST /api/jobmanager/submit; resolves with the created job's status. */
export async function submitJob(server: Server, definition: JobDefinitionDto): Promise<JobView> {
  const res = await fetch(`${server.url}/api/jobmanager/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(server) },
    body: JSON.stringify(definition),
  });
  return json<JobView>(res, 'POST /api/jobmanager/submit');
}

/** GET /api/jobmanager/jobs/{id} (the detail carries startTime). */
export async function getJob(server: Server, jobId: string): Promise<JobView> {
  return json<JobView>(
    await fetch(`${server.url}/api/jobmanager/jobs/${jobId}`, { headers: authHeaders(server) }),
    `GET /api/jobmanager/jobs/${jobId}`,
  );
}

/** POST /api/jobmanager/jobs/{id}/cancel. */
export async function cancelJob(server: Server, jobId: string): Promise<void> {
  await json(
    await fetch(`${server.url}/api/jobmanager/jobs/${jobId}/cancel`, {
      method: 'POST',
      headers: authHeaders(server),
    }),
    `POST /api/jobmanager/jobs/${jobId}/cancel`,
  );
}

/** The TaskManager ids that run subtasks of the job (from its metrics). */
export async function taskManagersOf(server: Server, jobId: string): Promise<string[]> {
  const vertices = await json<Array<{ subtasks: Array<{ taskManagerId: string | null }> }>>(
    await fetch(`${server.url}/api/jobmanager/jobs/${jobId}/metrics`, {
      headers: authHeaders(server),
    }),
    `GET /api/jobmanager/jobs/${jobId}/metrics`,
  );
  return [
    ...new Set(
      vertices
        .flatMap((v) => v.subtasks.map((s) => s.taskManagerId))
        .filter((id): id is string => id !== null),
    ),
  ];
}

/** Polls the job every `everyMs` until `done(job)` holds; throws with the last state after `timeoutMs`. */
export async function waitForJob(
  server: Server,
  jobId: string,
  done: (job: JobView) => boolean,
  options: { timeoutMs: number; everyMs?: number },
): Promise<JobView> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const job = await getJob(server, jobId);
    if (done(job)) return job;
    if (Date.now() > deadline)
      throw new Error(
        `job ${jobId} did not reach the expected state in ${options.timeoutMs} ms (now ${job.status}, attempt ${job.attempt})`,
      );
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 20));
  }
}
