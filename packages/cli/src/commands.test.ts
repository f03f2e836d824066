/**
 * The built `flinknet` bin as a child process against the real JobManager
 * (real SQLite file in a temp dir). No TaskManager here: jobs stay CREATED.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, FlinkNetError } from '@flinknet/client';
import { type RunningJobManager, startJobManager } from '@flinknet/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/runCli';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

function definition(jobName: string) {
  return {
    jobName,
    steps: [
      {
        name: 'numbers',
        operatorType: 'Source',
        typeName: 'sequence',
        operatorProperties: { ratePerSecond: 10 },
      },
      { name: 'sink', operatorType: 'Sink', typeName: 'discard' },
    ],
  };
}

describe('flinknet against the real JobManager', () => {
  let server: RunningJobManager;
  let dir: string;
  let env: Record<string, string>;

  const cli = (args: string[], extra: { env?: Record<string, string>; stdin?: string } = {}) =>
    runCli(args, {
      env: { ...env, ...extra.env },
      ...(extra.stdin !== undefined ? { stdin: extra.stdin } : {}),
    });

  async function submit(jobName: string): Promise<string> {
    const file = join(dir, `${jobName}.json`);
    writeFileSync(file, JSON.stringify(definition(jobName)));
    const { code, stdout, stderr } = await cli(['submit', file, '--json']);
    expect(code, stderr).toBe(0);
    return (JSON.parse(stdout) as { jobId: string }).jobId;
  }

  beforeAll(async () => {
    server = await startJobManager();
    dir = mkdtempSync(join(tmpdir(), 'flinknet-cli-jobs-'));
    env = { FLINKNET_URL: server.url, ...(server.token ? { FLINKNET_TOKEN: server.token } : {}) };
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('submits a job file and prints its id and state', async () => {
    const file = join(dir, 'job.json');
    writeFileSync(file, JSON.stringify(definition('cli-submit')));
    const { code, stdout } = await cli(['submit', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^Submitted job ${UUID.source} \\(cli-submit\\): CREATED\\n$`),
    );
  });

  it('submits a definition from stdin and prints JSON with --json', async () => {
    const { code, stdout } = await cli(['submit', '-', '--json'], {
      stdin: JSON.stringify(definition('cli-stdin')),
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ jobName: 'cli-stdin', status: 'CREATED' });
  });

  it('lists jobs as a table and as JSON, filtered by status', async () => {
    const jobId = await submit('cli-list');
    const table = await cli(['list']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^JOB ID\s+NAME\s+STATUS\s+PARALLELISM\s+TASKS\s+CREATED\s+DURATION$/,
    );
    expect(table.stdout).toContain(jobId);
    const json = await cli(['list', '--json', '--status', 'CREATED', '--name', 'cli-list']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ jobId, status: 'CREATED' }),
    ]);
    const none = await cli(['list', '--status', 'FAILED', '--name', 'cli-list']);
    expect(none.stdout).toBe('No jobs.\n');
  });

  it('pages through every job with --all', async () => {
    for (let i = 0; i < 3; i++) await submit(`cli-all-${i}`);
    const limited = await cli(['list', '--json', '--name', 'cli-all-', '--limit', '2']);
    expect(JSON.parse(limited.stdout)).toHaveLength(2);
    const all = await cli(['list', '--json', '--name', 'cli-all-', '--limit', '1', '--all']);
    expect((JSON.parse(all.stdout) as { jobName: string }[]).map((j) => j.jobName)).toEqual([
      'cli-all-2',
      'cli-all-1',
      'cli-all-0',
    ]);
  });

  it('shows status, detail and metrics of a job', async () => {
    const jobId = await submit('cli-show');
    const status = await cli(['status', jobId]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^Job:\s+[0-9a-f-]{36}$/m);
    expect(status.stdout).toMatch(/^Status:\s+CREATED$/m);
    const detail = await cli(['get', jobId]);
    expect(detail.stdout).toMatch(/^numbers\s+Source sequence\s+1$/m);
    expect(detail.stdout).toContain('Transitions');
    const metrics = await cli(['metrics', jobId, '--json']);
    expect(metrics.code).toBe(0);
    expect(Array.isArray(JSON.parse(metrics.stdout))).toBe(true);
  });

  it('exits 1 with "error: <title>: <detail>" from the problem body', async () => {
    const jobId = await submit('cli-conflict');
    const sdk = createClient({ baseUrl: server.url, token: server.token });
    const problem = (await sdk.jobs.stop(jobId).catch((e: unknown) => e)) as FlinkNetError;
    expect(problem).toBeInstanceOf(FlinkNetError);
    const { code, stdout, stderr } = await cli(['stop', jobId]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`error: ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}\n`);
  });

  it('exits 1 and lists each invalid field when the server rejects a definition', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ jobName: '', steps: [] }));
    const { code, stderr } = await cli(['submit', file]);
    expect(code).toBe(1);
    const [head, ...fields] = stderr.trimEnd().split('\n');
    expect(head).toMatch(/^error: /);
    expect(fields.length).toBeGreaterThanOrEqual(1);
    expect(fields.join('\n')).toContain('jobName');
  });

  it('exits 1 for an unknown job', async () => {
    const { code, stderr } = await cli(['get', UNKNOWN_ID]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: .+\n$/);
  });

  it('cancels a job and waits for CANCELED with a progress line on stderr', async () => {
    const jobId = await submit('cli-cancel');
    const { code, stdout, stderr } = await cli(['cancel', jobId, '--wait']);
    expect(code).toBe(0);
    expect(stdout).toBe(`Cancelling job ${jobId} (cli-cancel): CANCELED\n`);
    expect(stderr).toContain(`waiting for job ${jobId} to be CANCELED`);
  });

  it('gives up waiting for RUNNING with exit 1 when no TaskManager runs the job', async () => {
    const file = join(dir, 'wait.json');
    writeFileSync(file, JSON.stringify(definition('cli-wait')));
    const { code, stderr } = await cli(['submit', file, '--wait', '--wait-timeout', '500']);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /error: waiting for job [0-9a-f-]{36} to be RUNNING \(last seen CREATED\) timed out after 500 ms/,
    );
  });

  it('prints empty checkpoints, DLQ and TaskManager lists in words', async () => {
    const jobId = await submit('cli-empty');
    expect((await cli(['checkpoints', jobId])).stdout).toBe('No checkpoints.\n');
    expect((await cli(['dlq', 'list', jobId])).stdout).toBe('No dead-letter messages.\n');
    expect((await cli(['taskmanagers'])).stdout).toBe('No TaskManagers registered.\n');
    const overview = await cli(['overview', '--json']);
    expect(JSON.parse(overview.stdout)).toMatchObject({ taskManagers: 0 });
  });

  it('prints the log of a job, one line per entry', async () => {
    const jobId = await submit('cli-logs');
    await cli(['cancel', jobId, '--wait']);
    const { code, stdout } = await cli(['logs', jobId]);
    expect(code).toBe(0);
    for (const line of stdout.trimEnd().split('\n'))
      expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (DEBUG|INFO |WARN |ERROR) \[.+\] /);
    const json = await cli(['logs', jobId, '--json']);
    for (const line of json.stdout.trimEnd().split('\n'))
      expect(JSON.parse(line)).toMatchObject({ jobId });
  });

  it('answers API errors for DLQ commands and usage errors for a bad payload', async () => {
    const jobId = await submit('cli-dlq');
    expect((await cli(['dlq', 'show', jobId, UNKNOWN_ID])).code).toBe(1);
    const bad = await cli(['dlq', 'edit', jobId, UNKNOWN_ID, '--payload', '{nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: the payload is not valid JSON/);
    expect((await cli(['dlq', 'resubmit', jobId])).code).toBe(1);
  });

  it('shows one final frame in watch for a job that has ended', async () => {
    const jobId = await submit('cli-watch-ended');
    await cli(['cancel', jobId, '--wait']);
    const { code, stdout } = await cli(['watch', jobId]);
    expect(code).toBe(0);
    expect(stdout).toContain(`cli-watch-ended (${jobId})  CANCELED`);
    expect(stdout).toContain('Last checkpoint: none');
  });

  it('reads the token from $FLINKNET_DATA_DIR/admin.token and rejects a wrong one', async () => {
    expect(server.token, 'the JobManager writes admin.token at first start').toBeTruthy();
    const fromFile = await runCli(['list', '--json'], {
      env: { FLINKNET_URL: server.url, FLINKNET_DATA_DIR: server.dataDir },
    });
    expect(fromFile.code).toBe(0);
    const wrong = await runCli(['list'], {
      env: { FLINKNET_URL: server.url, FLINKNET_TOKEN: 'wrong' },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error: /);
  });
});
