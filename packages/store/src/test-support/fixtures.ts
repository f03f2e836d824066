/**
 * @module
 * Test helpers: stores on real SQLite files in temp dirs, a controllable
 * clock, and valid job definitions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildJobGraph,
  type JobDefinitionDto,
  JobDefinitionDto as JobDefinitionSchema,
} from '@flinknet/contracts';
import { openStore, type Store } from '../openStore';
import type { JobRecord } from '../types';

/** A clock that only moves when told to. */
export class FakeClock {
  private ms: number;
  constructor(start = '2026-01-01T00:00:00.000Z') {
    this.ms = Date.parse(start);
  }
  now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A temp directory removed by `cleanup()`; every store opened in it is closed first. */
export class TempStores {
  readonly dir = mkdtempSync(join(tmpdir(), 'flinknet-store-'));
  private readonly opened: Store[] = [];

  /** Opens (or reopens) `name` in the temp dir. */
  open(name = 'flinknet.db', options: { now?: () => Date } = {}): Store {
    const store = openStore({ file: join(this.dir, name), ...options });
    this.opened.push(store);
    return store;
  }

  cleanup(): void {
    for (const store of this.opened) store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A valid, normalised definition: a sequence source into a log sink. */
export function sampleDefinition(jobName = 'clicks-per-user', parallelism = 2): JobDefinitionDto {
  return JobDefinitionSchema.parse({
    jobName,
    steps: [
      {
        name: 'clicks',
        operatorType: 'Source',
        typeName: 'sequence',
        parallelism,
        operatorProperties: { count: 10 },
      },
      { name: 'out', operatorType: 'Sink', typeName: 'log' },
    ],
    checkpointIntervalMs: 1000,
  });
}

/** Creates a job named `jobName` with a fresh id. */
export function createSampleJob(
  store: Store,
  jobName = 'clicks-per-user',
  idempotency?: { key: string; bodyHash: string },
): JobRecord {
  const definition = sampleDefinition(jobName);
  return store.createJob({
    jobId: crypto.randomUUID(),
    definition,
    jobGraph: buildJobGraph(definition),
    idempotency,
  });
}

/** Walks every page of a keyset-paged list. */
export function allPages<T>(
  fetch: (cursor: string | undefined) => { items: T[]; nextCursor: string | null },
): T[] {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}
