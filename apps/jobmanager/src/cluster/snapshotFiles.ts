/**
 * @module
 * Snapshot files of completed checkpoints:
 * `<checkpointsDir>/<jobId>/<checkpointId>.json`, written to a temporary
 * file, fsynced and renamed, so a crash never leaves half a snapshot.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { SnapshotResponse } from '@flinknet/contracts';

/** The path of a snapshot relative to the checkpoints directory (what the store keeps). */
export function snapshotPath(jobId: string, checkpointId: number): string {
  return join(jobId, `${checkpointId}.json`);
}

/** Writes a snapshot durably; returns its size in bytes. */
export function writeSnapshot(
  checkpointsDir: string,
  relativePath: string,
  snapshot: SnapshotResponse,
): number {
  const target = join(checkpointsDir, relativePath);
  mkdirSync(dirname(target), { recursive: true });
  const bytes = Buffer.from(JSON.stringify(snapshot));
  const temporary = `${target}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, target);
  // The rename is durable only once the directory entry is flushed.
  const dirFd = openSync(dirname(target), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
  return bytes.length;
}

/** Reads a snapshot back, or undefined when its file is gone. */
export function readSnapshot(
  checkpointsDir: string,
  relativePath: string,
): SnapshotResponse | undefined {
  try {
    return JSON.parse(readFileSync(join(checkpointsDir, relativePath), 'utf8')) as SnapshotResponse;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Deletes a snapshot file (pruned checkpoints); a missing file is fine. */
export function deleteSnapshot(checkpointsDir: string, relativePath: string): void {
  rmSync(join(checkpointsDir, relativePath), { force: true });
}
