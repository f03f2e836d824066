/**
 * @module
 * Brings a job to RUNNING on a scripted TaskManager through the real
 * protocol routes, for route tests that need a running job.
 */
import type {
  DeployCommand,
  JobDefinitionInput,
  JobStatusDto,
  TriggerCheckpointCommand,
} from '@flinknet/contracts';
import { jobDefinition, type TestApp } from './fixtures';
import { ScriptedTaskManager } from './scriptedTaskManager';

export interface RunningJob {
  jobId: string;
  tm: ScriptedTaskManager;
  deploy: DeployCommand;
}

/** Registers a TaskManager (if not given), submits, and reports every task RUNNING. */
export async function startRunningJob(
  t: TestApp,
  definition: JobDefinitionInput = jobDefinition(),
  tm = new ScriptedTaskManager({ id: 'tm-1', fetch: t.fetch }),
): Promise<RunningJob> {
  await tm.register();
  const res = await t.call('POST', '/api/jobmanager/submit', definition);
  if (res.status !== 201) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
  const { jobId } = (await res.json()) as JobStatusDto;
  await tm.heartbeat();
  const deploy = tm.last('deploy', jobId);
  if (!deploy) throw new Error('no deploy command');
  await tm.heartbeat({ tasks: ScriptedTaskManager.reports(deploy, 'RUNNING') });
  return { jobId, tm, deploy };
}

/** Triggers a checkpoint through the route and acknowledges it from every task; returns its id. */
export async function completeCheckpoint(t: TestApp, job: RunningJob): Promise<number> {
  const res = await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/checkpoints`);
  if (res.status !== 202) throw new Error(`trigger answered ${res.status}: ${await res.text()}`);
  await job.tm.heartbeat();
  const command = job.tm.last('checkpoint', job.jobId) as TriggerCheckpointCommand;
  await job.tm.heartbeat({ checkpointAcks: ScriptedTaskManager.acks(job.deploy, command) });
  return command.checkpointId;
}
