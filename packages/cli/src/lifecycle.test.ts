/**
 * The built `flinknet` bin driving a job through its life on a real
 * JobManager with a real TaskManager.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@flinknet/client';
import {
  type RunningJobManager,
  type RunningProcess,
  startJobManager,
  startTaskManager,
} from '@flinknet/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../test/runCli';

describe('flinknet with a real TaskManager', () => {
  let server: RunningJobManager;
  let taskManager: RunningProcess;
  let dir: string;
  let env: Record<string, string>;
  const cli = (args: string[], timeoutMs = 60_000) => runCli(args, { env, timeoutMs });

  beforeAll(async () => {
    server = await startJobManager();
    taskManager = await startTaskManager(server);
    dir = mkdtempSync(join(tmpdir(), 'flinknet-cli-life-'));
    env = { FLINKNET_URL: server.url, ...(server.token ? { FLINKNET_TOKEN: server.token } : {}) };
  }, 90_000);

  // A failed test must not leave its job holding the TaskManager's slots.
  afterEach(async () => {
    const sdk = createClient({ baseUrl: server.url, token: server.token });
    for await (const job of sdk.jobs.iterate()) {
      if (job.status === 'RUNNING' || job.status === 'CREATED') {
        await sdk.jobs.cancel(job.jobId).catch(() => {});
      }
    }
  });

  afterAll(async () => {
    await taskManager?.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('submits with --wait, shows metrics, triggers a checkpoint, scales, watches and stops the job', async () => {
    const file = join(dir, 'job.json');
    writeFileSync(
      file,
      JSON.stringify({
        jobName: 'cli-life',
        steps: [
          {
            name: 'numbers',
            operatorType: 'Source',
            typeName: 'sequence',
            parallelism: 2,
            operatorProperties: { ratePerSecond: 100 },
          },
          { name: 'sink', operatorType: 'Sink', typeName: 'discard' },
        ],
        checkpointIntervalMs: 500,
      }),
    );
    const submitted = await cli(['submit', file, '--wait', 'RUNNING', '--json']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const { jobId, status } = JSON.parse(submitted.stdout) as { jobId: string; status: string };
    expect(status).toBe('RUNNING');

    const taskManagers = await cli(['taskmanagers']);
    expect(taskManagers.stdout).toMatch(/ACTIVE/);

    const metrics = await cli(['metrics', jobId]);
    expect(metrics.code).toBe(0);
    expect(metrics.stdout).toMatch(/^numbers\s+2\s+/m);

    const trigger = await cli(['checkpoints', jobId, '--trigger']);
    expect(trigger.code, trigger.stderr).toBe(0);
    expect(trigger.stdout).toMatch(new RegExp(`^Triggered checkpoint \\d+ of job ${jobId}: `));

    const scaled = await cli([
      'scale',
      jobId,
      '--parallelism',
      '3',
      '--operator',
      'numbers',
      '--wait',
    ]);
    expect(scaled.code, scaled.stderr).toBe(0);
    expect(scaled.stdout).toMatch(new RegExp(`^Scaling job ${jobId} \\(cli-life\\): RUNNING`));
    const afterScale = await cli(['metrics', jobId]);
    expect(afterScale.stdout).toMatch(/^numbers\s+3\s+/m);

    // A restart from a chosen checkpoint, while RUNNING (the next attempt comes up).
    const completed = JSON.parse(
      (await cli(['checkpoints', jobId, '--status', 'COMPLETED', '--json'])).stdout,
    ) as { checkpointId: number }[];
    const checkpointId = (completed[1] ?? completed[0])?.checkpointId as number;
    const restarted = await cli(['restart', jobId, '--checkpoint', String(checkpointId), '--wait']);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stdout).toBe(`Restarting job ${jobId} (cli-life): RUNNING\n`);
    const detail = JSON.parse((await cli(['get', jobId, '--json'])).stdout) as {
      transitions: { reason: string }[];
    };
    expect(detail.transitions.map((t) => t.reason).join('\n')).toContain(String(checkpointId));

    // watch and logs --follow both end by themselves once the job has finished.
    const watching = startCli(['watch', jobId, '--interval', '200'], { env, timeoutMs: 60_000 });
    const following = startCli(['logs', jobId, '--follow', '--interval', '200'], {
      env,
      timeoutMs: 60_000,
    });
    const frame = `cli-life (${jobId})  RUNNING`;
    const deadline = Date.now() + 20_000;
    while (
      !(watching.stdout().includes(frame) && following.stdout().length > 0) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const stopped = await cli(['stop', jobId, '--wait']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toBe(`Stopping job ${jobId} (cli-life): FINISHED\n`);
    const watch = await watching.result;
    expect(watch.code).toBe(0);
    expect(watch.stdout).toContain(`cli-life (${jobId})  RUNNING`);
    expect(watch.stdout).toContain(`cli-life (${jobId})  FINISHED`);
    expect(watch.stdout).toMatch(/^VERTEX\s+PARALLELISM\s+IN\/S\s+OUT\/S/m);
    expect(watch.stdout).toMatch(/Last checkpoint: #\d+ /);
    const logs = await following.result;
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/FINISHED/);

    const checkpoints = await cli(['checkpoints', jobId, '--status', 'COMPLETED']);
    expect(checkpoints.stdout.split('\n')[0]).toMatch(/^ID\s+KIND\s+STATUS\s+REASON/);
    expect(checkpoints.stdout).toMatch(/COMPLETED/);
  }, 180_000);

  it('lists, shows, edits and resubmits dead-letter messages', async () => {
    const file = join(dir, 'dlq.json');
    writeFileSync(
      file,
      JSON.stringify({
        jobName: 'cli-dlq',
        steps: [
          {
            name: 'numbers',
            operatorType: 'Source',
            typeName: 'sequence',
            operatorProperties: { ratePerSecond: 100 },
          },
          {
            name: 'check',
            operatorType: 'Operator',
            typeName: 'map',
            operatorProperties: {
              expression: 'value.seq % 5 == 3 ? fail("ends in 3 or 8") : value',
            },
          },
          { name: 'sink', operatorType: 'Sink', typeName: 'discard' },
        ],
        errorTolerance: 'all',
      }),
    );
    const submitted = await cli(['submit', file, '--wait', '--json']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const { jobId } = JSON.parse(submitted.stdout) as { jobId: string };

    let messages: { messageId: string }[] = [];
    const deadline = Date.now() + 20_000;
    while (messages.length === 0 && Date.now() < deadline) {
      const listed = await cli(['dlq', 'list', jobId, '--json', '--status', 'PENDING']);
      messages = JSON.parse(listed.stdout) as { messageId: string }[];
    }
    const messageId = messages[0]?.messageId as string;
    expect(messageId).toBeDefined();

    const listed = await cli(['dlq', 'list', jobId]);
    expect(listed.stdout.split('\n')[0]).toMatch(/^MESSAGE ID\s+STEP\s+STATUS\s+ATTEMPTS/);
    expect(listed.stdout).toContain(messageId);

    const shown = await cli(['dlq', 'show', jobId, messageId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Error:\s+.*ends in 3 or 8/m);
    expect(shown.stdout).toMatch(/Payload:\n\{\n {2}"seq": \d+/);

    const payload = '{"seq":1,"key":"k0","ts":0}';
    const edited = await cli(['dlq', 'edit', jobId, messageId, '--payload', payload]);
    expect(edited.code, edited.stderr).toBe(0);
    const afterEdit = await cli(['dlq', 'show', jobId, messageId, '--json']);
    const { newPayload } = JSON.parse(afterEdit.stdout) as { newPayload: string };
    expect(Buffer.from(newPayload, 'base64').toString()).toBe(payload);

    const resubmitted = await cli(['dlq', 'resubmit', jobId, messageId]);
    expect(resubmitted).toMatchObject({
      code: 0,
      stdout: `Resubmitted 1 message of job ${jobId}\n`,
    });
    expect((await cli(['cancel', jobId, '--wait'])).code).toBe(0);
  }, 120_000);
});
