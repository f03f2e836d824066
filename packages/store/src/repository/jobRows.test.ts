import { buildJobGraph } from '@flinknet/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../openStore';
import { createSampleJob, FakeClock, sampleDefinition, TempStores } from '../test-support/fixtures';

describe('job records from the prepared statements', () => {
  let temp: TempStores;
  let store: Store;
  beforeEach(() => {
    temp = new TempStores();
    store = temp.open('rows.db', { now: new FakeClock().now });
  });
  afterEach(() => temp.cleanup());

  it('serialise the definition and graph in JSON.stringify and spreads like a plain field', () => {
    const definition = sampleDefinition('lazy');
    const jobId = crypto.randomUUID();
    store.createJob({ jobId, definition, jobGraph: buildJobGraph(definition) });
    for (const job of [store.getJob(jobId)!, store.listJobs({ limit: 10 }).items[0]!]) {
      expect(JSON.parse(JSON.stringify(job)).definition).toEqual(definition);
      expect(JSON.parse(JSON.stringify(job)).jobGraph).toEqual(buildJobGraph(definition));
      expect({ ...job }.definition).toEqual(definition);
      expect(Object.keys(job)).toContain('definition');
      expect(structuredClone(job).definition).toEqual(definition);
    }
  });

  it('keep the column order of the keys, as drizzle rows had it', () => {
    const job = createSampleJob(store, 'order');
    expect(Object.keys(store.getJob(job.jobId)!)).toEqual([
      'jobId',
      'jobName',
      'status',
      'definition',
      'jobGraph',
      'attempt',
      'restartCount',
      'errorMessage',
      'lastCheckpointId',
      'createdAt',
      'updatedAt',
      'startTime',
      'endTime',
    ]);
  });

  it('parse the definition and graph once and let a caller replace them', () => {
    const job = createSampleJob(store, 'memo');
    const first = store.getJob(job.jobId)!;
    expect(first.definition).toBe(first.definition);
    const replaced = sampleDefinition('other');
    first.definition = replaced;
    expect(first.definition).toBe(replaced);
    const graph = buildJobGraph(replaced);
    first.jobGraph = graph;
    expect(first.jobGraph).toBe(graph);
    expect(JSON.parse(JSON.stringify(first)).definition.jobName).toBe('other');
    // The stored job is unchanged: the record is a copy.
    expect(store.getJob(job.jobId)!.definition.jobName).toBe('memo');
  });

  it('give every read its own objects, so a caller mutating one does not change another', () => {
    const job = createSampleJob(store, 'copies');
    const a = store.getJob(job.jobId)!;
    const b = store.getJob(job.jobId)!;
    a.definition.jobName = 'mutated';
    a.jobGraph.vertices[0]!.name = 'mutated';
    expect(b.definition.jobName).toBe('copies');
    expect(b.jobGraph.vertices[0]!.name).toBe(job.jobGraph.vertices[0]!.name);
  });
});
