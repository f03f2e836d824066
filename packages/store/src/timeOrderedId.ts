/**
 * @module
 * Job ids for this store: UUIDv7 (RFC 9562). The millisecond timestamp leads,
 * so every index that starts with `job_id` (tasks, transitions, logs,
 * checkpoints, the audit log) grows at its right edge: a batch of new jobs
 * dirties a few pages instead of one random page per index and job.
 */
import { randomFillSync } from 'node:crypto';

// Random bytes are drawn 4 KiB at a time (as node's randomUUID does): one
// randomFillSync call per id cost more than the insert of its job row's index entries.
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolNext = POOL_IDS;
const bytes = Buffer.alloc(16);
let lastMs = -1;
let counter = 0;

function nextRandom16(): void {
  if (poolNext === POOL_IDS) {
    randomFillSync(pool);
    poolNext = 0;
  }
  pool.copy(bytes, 0, poolNext * 16, poolNext * 16 + 16);
  poolNext++;
}

/**
 * A new UUIDv7. Ids made by one process sort in creation order: within one
 * millisecond the 12-bit `rand_a` field is a counter (RFC 9562, method 1)
 * that starts at a random value below 2048; when it runs out the timestamp
 * moves on by a millisecond.
 */
export function timeOrderedUuid(nowMs: number = Date.now()): string {
  let ms = Math.max(nowMs, lastMs);
  if (ms === lastMs) {
    counter++;
    if (counter > 0xfff) {
      ms++;
      counter = -1;
    }
  }
  nextRandom16();
  if (ms !== lastMs || counter === -1) counter = bytes.readUInt16BE(6) & 0x7ff;
  lastMs = ms;
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
