/**
 * @module
 * Key-group math, exactly as Flink computes it, so keyed state can be split
 * and merged on rescale: keyGroup = murmurHash(hash(key)) % maxParallelism,
 * operatorIndex = keyGroup * parallelism / maxParallelism.
 */

/** Flink's default (and FlinkNet's fixed) number of key groups. */
export const DEFAULT_MAX_PARALLELISM = 128;

/** Java's String.hashCode over UTF-16 code units, as a signed 32-bit int. */
export function stringHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/** The hash of a record key: strings hash as Java strings, anything else by its canonical text. */
export function keyHashCode(key: unknown): number {
  return stringHashCode(canonicalKey(key));
}

/** The text a key is stored and hashed under: strings as-is, other values as JSON. */
export function canonicalKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean') return String(key);
  const text = JSON.stringify(key);
  return text === undefined ? 'null' : text;
}

/** Flink's MathUtils.murmurHash(int): a non-negative mix of a 32-bit hash code. */
export function murmurHash(code: number): number {
  let h = Math.imul(code, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  if (h >= 0) return h;
  return h === -2147483648 ? 0 : -h;
}

/** The key group of a key (0 <= result < maxParallelism). */
export function keyGroupOf(key: unknown, maxParallelism: number = DEFAULT_MAX_PARALLELISM): number {
  return murmurHash(keyHashCode(key)) % maxParallelism;
}

/** The subtask that owns a key group at a given parallelism. */
export function operatorIndexForKeyGroup(
  keyGroup: number,
  parallelism: number,
  maxParallelism: number,
): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The inclusive key-group range a subtask owns (Flink's KeyGroupRangeAssignment). */
export function keyGroupRange(
  subtaskIndex: number,
  parallelism: number,
  maxParallelism: number,
): { start: number; end: number } {
  if (parallelism < 1 || parallelism > maxParallelism) {
    throw new RangeError(
      `parallelism ${parallelism} must be between 1 and maxParallelism ${maxParallelism}`,
    );
  }
  if (subtaskIndex < 0 || subtaskIndex >= parallelism) {
    throw new RangeError(`subtask index ${subtaskIndex} is outside 0..${parallelism - 1}`);
  }
  const start = Math.ceil((subtaskIndex * maxParallelism) / parallelism);
  const end = Math.ceil(((subtaskIndex + 1) * maxParallelism) / parallelism) - 1;
  return { start, end };
}

/** The subtask a split (or any indexed unit of work) goes to when `total` are spread over `parallelism` by range. */
export function subtaskForIndex(index: number, total: number, parallelism: number): number {
  return Math.floor((index * parallelism) / total);
}
