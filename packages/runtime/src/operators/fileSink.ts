/**
 * @module
 * Sink `file`: JSON lines under `<dataDir>/<path>/`, exactly once. Records are
 * staged in a hidden in-progress part per subtask; the checkpoint barrier
 * turns it into a pending part of that checkpoint (listed in the snapshot);
 * notifyCheckpointComplete(n) renames pending parts of checkpoints <= n to
 * `part-<subtask>-<n>-a<attempt>.jsonl`. A restore first commits the pending
 * parts its snapshot lists (idempotent), then deletes in-progress and pending
 * leftovers of earlier attempts, which the restored offsets will replay.
 *
 * End of input (finish() or a bounded source) is the final commit: the last
 * records and any pending parts become final parts at once, so a FINISHED
 * job has all its output committed, even records after the stop savepoint.
 */
import { type FileHandle, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { SinkDefinition } from '../api';
import { readProperties } from './properties';

/** Lines buffered in memory before they are appended to the in-progress part. */
const FLUSH_LINES = 4096;

interface PendingPart {
  checkpointId: number;
  file: string;
}

interface FileSinkState {
  pending: PendingPart[];
}

const STAGED = /^\.part-(\d+)-a(\d+)-.+\.(inprogress|pending)$/;
const PENDING = /^\.part-(\d+)-a(\d+)-cp(\d+)\.pending$/;

/** The committed name of a pending part. */
export function finalNameOf(pendingFile: string): string {
  const match = PENDING.exec(pendingFile);
  if (!match) throw new Error(`not a pending part name: ${pendingFile}`);
  return `part-${match[1]}-${match[3]}-a${match[2]}.jsonl`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export const fileSink: SinkDefinition = {
  operatorType: 'Sink',
  typeName: 'file',
  description:
    'Writes JSON lines under the data dir, committed on checkpoint completion (exactly once): path',
  create(ctx) {
    const path = readProperties(ctx.stepName, ctx.properties).string('path');
    const prefix = `.part-${ctx.subtaskIndex}-a${ctx.attempt}`;
    let dir = '';
    let lines: string[] = [];
    let handle: FileHandle | null = null;
    let inProgress: string | null = null;
    let partSeq = 0;
    let pending: PendingPart[] = [];
    let restoredPending: PendingPart[] = [];

    const ensureDir = async () => {
      if (dir !== '') return;
      const target = await ctx.resolvePath(path);
      await mkdir(target, { recursive: true });
      // Resolve again: a symlink created in between must not lead out.
      dir = await ctx.resolvePath(path);
    };

    const writeBuffered = async () => {
      if (lines.length === 0) return;
      const text = `${lines.join('\n')}\n`;
      lines = [];
      if (!handle) {
        inProgress = `${prefix}-${++partSeq}.inprogress`;
        handle = await open(join(dir, inProgress), 'a');
      }
      await handle.appendFile(text, 'utf8');
    };

    /** Closes the in-progress part and returns its name (null when nothing was staged). */
    const closePart = async (): Promise<string | null> => {
      await writeBuffered();
      if (!handle || !inProgress) return null;
      await handle.sync();
      await handle.close();
      handle = null;
      const name = inProgress;
      inProgress = null;
      return name;
    };

    const commit = async (part: PendingPart) => {
      const from = join(dir, part.file);
      const to = join(dir, finalNameOf(part.file));
      try {
        await rename(from, to);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // Committed before (a restore after the notification, or a repeated notification).
        if (!(await exists(to)))
          ctx.log(
            'WARN',
            `pending part ${part.file} of checkpoint ${part.checkpointId} is gone; nothing to commit`,
          );
      }
    };

    const commitUpTo = async (checkpointId: number) => {
      // Parts leave the list only once renamed, so a snapshot taken meanwhile still lists them.
      for (const part of pending.filter((p) => p.checkpointId <= checkpointId)) {
        await commit(part);
        pending = pending.filter((p) => p !== part);
      }
    };

    return {
      restoreState(states) {
        for (const state of states) {
          const parts = (state as Partial<FileSinkState> | null)?.pending;
          if (!Array.isArray(parts)) continue;
          for (const part of parts) {
            if (
              part &&
              typeof part.file === 'string' &&
              PENDING.test(part.file) &&
              Number.isInteger(part.checkpointId)
            ) {
              restoredPending.push({ checkpointId: part.checkpointId, file: part.file });
            }
          }
        }
      },
      async open() {
        await ensureDir();
        // The restored checkpoint is complete: what it lists as pending is committed.
        for (const part of restoredPending) await commit(part);
        restoredPending = [];
        for (const name of await readdir(dir)) {
          const match = STAGED.exec(name);
          if (!match) continue;
          const writer = Number(match[1]);
          const attempt = Number(match[2]);
          if (attempt < ctx.attempt && writer % ctx.parallelism === ctx.subtaskIndex) {
            await unlink(join(dir, name)).catch(() => undefined);
          }
        }
      },
      invoke(value) {
        const text = JSON.stringify(value);
        if (text === undefined) throw new Error('record is not JSON-serialisable');
        lines.push(text);
        return lines.length >= FLUSH_LINES ? writeBuffered() : undefined;
      },
      async snapshotState(checkpointId) {
        const staged = await closePart();
        if (staged !== null) {
          const file = `${prefix}-cp${checkpointId}.pending`;
          await rename(join(dir, staged), join(dir, file));
          pending.push({ checkpointId, file });
        }
        return { pending: pending.map((p) => ({ ...p })) } satisfies FileSinkState;
      },
      async notifyCheckpointComplete(checkpointId) {
        await commitUpTo(checkpointId);
      },
      async endOfInput() {
        await commitUpTo(Number.MAX_SAFE_INTEGER);
        const staged = await closePart();
        if (staged !== null) {
          await rename(
            join(dir, staged),
            join(dir, `part-${ctx.subtaskIndex}-end-a${ctx.attempt}.jsonl`),
          );
        }
      },
      async close() {
        await handle?.close().catch(() => undefined);
        handle = null;
      },
    };
  },
};
