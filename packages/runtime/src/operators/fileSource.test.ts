import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../registry';
import { startJob } from '../startJob';
import {
  committedRecords,
  deployOf,
  jsonLines,
  RecordingHooks,
  tempDir,
} from '../test-support/jobFixture';

let dir: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

function fileJob(properties: Record<string, unknown>, parallelism = 1) {
  return deployOf({
    jobName: 'read',
    errorTolerance: 'all',
    steps: [
      {
        name: 'in',
        operatorType: 'Source',
        typeName: 'file',
        parallelism,
        operatorProperties: properties,
      },
      {
        name: 'out',
        operatorType: 'Sink',
        typeName: 'file',
        parallelism,
        operatorProperties: { path: 'out' },
      },
    ],
  });
}

describe('file source', () => {
  it('reads every file of a directory, one split per file, across subtasks', async () => {
    await mkdir(join(dir.path, 'in'));
    await writeFile(join(dir.path, 'in', 'a.jsonl'), jsonLines([{ n: 1 }, { n: 2 }]));
    await writeFile(join(dir.path, 'in', 'b.jsonl'), jsonLines([{ n: 3 }]));
    // No trailing newline: the last line still counts.
    await writeFile(join(dir.path, 'in', 'c.jsonl'), '{"n":4}\n{"n":5}');
    await writeFile(join(dir.path, 'in', '.hidden'), '{"n":99}\n');
    const hooks = new RecordingHooks();
    const execution = startJob({
      deploy: fileJob({ path: 'in' }, 2),
      registry: createRegistry(),
      dataDir: dir.path,
      restore: null,
      hooks,
    });
    await execution.done;
    const values = ((await committedRecords(join(dir.path, 'out'))) as Array<{ n: number }>)
      .map((r) => r.n)
      .sort();
    expect(values).toEqual([1, 2, 3, 4, 5]);
  });

  it('resumes exactly after the offset of a restored snapshot', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => ({ i, pad: 'x'.repeat(i % 50) }));
    await writeFile(join(dir.path, 'big.jsonl'), jsonLines(lines));
    const hooks = new RecordingHooks();
    const deploy = fileJob({ path: 'big.jsonl' });
    // Take offsets from a real snapshot mid-file: a subtask that reads 3000 lines then checkpoints.
    const first = startJob({
      deploy,
      registry: createRegistry(),
      dataDir: dir.path,
      restore: null,
      hooks,
    });
    await first.done;
    const offsetOf3000 = Buffer.byteLength(jsonLines(lines.slice(0, 3000)));
    const restore = {
      jobId: deploy.jobId,
      checkpointId: 1,
      vertices: {
        in: [{ version: 1, splits: { '.': { offset: offsetOf3000, done: false } } }],
        out: [{ version: 1, operator: { pending: [] } }],
      },
    };
    await dir.remove();
    dir = await tempDir();
    await writeFile(join(dir.path, 'big.jsonl'), jsonLines(lines));
    const second = startJob({
      deploy: { ...deploy, attempt: 2 },
      registry: createRegistry(),
      dataDir: dir.path,
      restore,
      hooks: new RecordingHooks(),
    });
    await second.done;
    const read = ((await committedRecords(join(dir.path, 'out'))) as Array<{ i: number }>).map(
      (r) => r.i,
    );
    expect(read).toEqual(Array.from({ length: 2000 }, (_, k) => 3000 + k));
  });

  it('snapshots the byte offset after the last line it emitted', async () => {
    await writeFile(join(dir.path, 'in.jsonl'), jsonLines([{ a: 1 }, { a: 2 }]));
    const hooks = new RecordingHooks();
    const execution = startJob({
      deploy: fileJob({ path: 'in.jsonl' }),
      registry: createRegistry(),
      dataDir: dir.path,
      restore: null,
      hooks,
    });
    await execution.done;
    execution.triggerCheckpoint(1, 'CHECKPOINT', Date.now());
    const source = hooks.acksOf(1).find((a) => a.vertexId === 'in')!.snapshot as {
      splits: Record<string, unknown>;
    };
    expect(source.splits).toEqual({ '.': { offset: 16, done: true } });
  });

  it('sends a line that is not JSON to the DLQ with the line as payload, and reads text lines as strings', async () => {
    await writeFile(join(dir.path, 'in.jsonl'), '{"ok":1}\nnot json\n{"ok":2}\n');
    const hooks = new RecordingHooks();
    const execution = startJob({
      deploy: fileJob({ path: 'in.jsonl' }),
      registry: createRegistry(),
      dataDir: dir.path,
      restore: null,
      hooks,
    });
    await execution.done;
    expect(await committedRecords(join(dir.path, 'out'))).toEqual([{ ok: 1 }, { ok: 2 }]);
    expect(hooks.dlq).toHaveLength(1);
    expect(JSON.parse(Buffer.from(hooks.dlq[0]!.payload, 'base64').toString())).toBe('not json');
    expect(hooks.dlq[0]!.stepName).toBe('in');

    await dir.remove();
    dir = await tempDir();
    await writeFile(join(dir.path, 'in.txt'), 'hello\nworld\n');
    const text = startJob({
      deploy: fileJob({ path: 'in.txt', format: 'text' }),
      registry: createRegistry(),
      dataDir: dir.path,
      restore: null,
      hooks: new RecordingHooks(),
    });
    await text.done;
    expect(await committedRecords(join(dir.path, 'out'))).toEqual(['hello', 'world']);
  });

  it('fails with a clear error when the input does not exist or escapes the data directory', async () => {
    for (const [path, message] of [
      ['missing.jsonl', /does not exist/],
      ['../outside.jsonl', /escapes the data directory/],
    ] as const) {
      const hooks = new RecordingHooks();
      const execution = startJob({
        deploy: fileJob({ path }),
        registry: createRegistry(),
        dataDir: dir.path,
        restore: null,
        hooks,
      });
      await execution.done;
      expect(hooks.states.find((s) => s.state === 'FAILED')?.error).toMatch(message);
    }
  });
});
