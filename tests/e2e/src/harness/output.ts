/**
 * @module
 * Reads what a file sink committed under the TaskManager data dir.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files a sink is still writing or has staged but not committed. */
function isUncommitted(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.startsWith('_') ||
    /\.(tmp|pending|inprogress|staged|partial)$/i.test(name)
  );
}

/** Every JSON line of every committed part file under `dir` (recursively). */
export async function readCommittedRecords(dir: string): Promise<unknown[]> {
  if (!existsSync(dir)) return [];
  const records: unknown[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (isUncommitted(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      records.push(...(await readCommittedRecords(path)));
      continue;
    }
    const text = await readFile(path, 'utf8');
    for (const line of text.split('\n')) {
      if (line.trim() !== '') records.push(JSON.parse(line));
    }
  }
  return records;
}

/** Sums window-aggregate output `{ key, value }` per key. */
export function sumPerKey(records: readonly unknown[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const record of records) {
    const { key, value } = record as { key: unknown; value: unknown };
    if (typeof value !== 'number')
      throw new Error(`not a window result: ${JSON.stringify(record)}`);
    sums.set(String(key), (sums.get(String(key)) ?? 0) + value);
  }
  return new Map([...sums].sort(([a], [b]) => a.localeCompare(b)));
}

/** The exact count per key of a `sequence` source that emitted seq 0..count-1 over `keys` keys. */
export function expectedSequenceCounts(count: number, keys: number): Map<string, number> {
  const expected = new Map<string, number>();
  for (let k = 0; k < keys; k++) {
    expected.set(`k${k}`, Math.floor(count / keys) + (k < count % keys ? 1 : 0));
  }
  return new Map([...expected].sort(([a], [b]) => a.localeCompare(b)));
}
