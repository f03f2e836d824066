/**
 * @module
 * Source `file`: reads a file, or every file of a directory (sorted, one
 * split each), under the data dir; one record per line, parsed as JSON
 * (`format: "jsonl"`, default) or kept as a string (`"text"`). The offset of
 * each split is the byte after the last emitted line, so a restore resumes
 * exactly. A line that is not JSON is rejected (DLQ) with the line as payload.
 */
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Collector, PollResult, RuntimeContext, SourceDefinition } from '../api';
import { readProperties } from './properties';

const CHUNK_BYTES = 256 * 1024;

async function listFiles(ctx: RuntimeContext): Promise<{ root: string; files: string[] }> {
  const path = readProperties(ctx.stepName, ctx.properties).string('path');
  const resolved = await ctx.resolvePath(path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(resolved);
  } catch {
    throw new Error(
      `step "${ctx.stepName}": input path "${path}" does not exist under the data directory`,
    );
  }
  if (info.isFile()) return { root: resolved, files: [''] };
  if (!info.isDirectory())
    throw new Error(
      `step "${ctx.stepName}": input path "${path}" is neither a file nor a directory`,
    );
  const entries = await readdir(resolved, { withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  return { root: resolved, files };
}

interface SplitReader {
  id: string;
  path: string;
  offset: number;
  handle: FileHandle | null;
  /** Bytes read past `offset` that do not end in a newline yet. */
  carry: Buffer;
  done: boolean;
}

export const fileSource: SourceDefinition = {
  operatorType: 'Source',
  typeName: 'file',
  description:
    'Reads JSON lines (or text lines) from a file or directory under the data dir: path, format',
  async splits(ctx) {
    const { files } = await listFiles(ctx);
    return files.length === 1 && files[0] === '' ? ['.'] : files;
  },
  create(ctx) {
    const props = readProperties(ctx.stepName, ctx.properties);
    const format = props.oneOf('format', ['jsonl', 'text'] as const, 'jsonl');
    let readers: SplitReader[] = [];
    let current = 0;

    const emitLine = (line: string, out: Collector) => {
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (format === 'text') {
        out.emit(line);
        return;
      }
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        ctx.rejectRecord(line, new Error(`line is not JSON: ${(error as Error).message}`));
        return;
      }
      out.emit(value);
    };

    return {
      async open() {
        const { root } = await listFiles(ctx);
        readers = ctx.splits.map((split) => {
          const restored = split.state as { offset?: unknown; done?: unknown } | undefined;
          const path = split.id === '.' ? root : join(root, split.id);
          if (relative(root, path).startsWith('..'))
            throw new Error(`split ${split.id} escapes the input directory`);
          return {
            id: split.id,
            path,
            offset: typeof restored?.offset === 'number' ? restored.offset : 0,
            handle: null,
            carry: Buffer.alloc(0),
            done: restored?.done === true,
          };
        });
      },
      async poll(out: Collector, max: number): Promise<PollResult> {
        while (current < readers.length && readers[current]!.done) current++;
        const reader = readers[current];
        if (!reader) return 'end';
        reader.handle ??= await open(reader.path, 'r');
        const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
        const position = reader.offset + reader.carry.length;
        const { bytesRead } = await reader.handle.read(buffer, 0, CHUNK_BYTES, position);
        const data =
          reader.carry.length > 0
            ? Buffer.concat([reader.carry, buffer.subarray(0, bytesRead)])
            : buffer.subarray(0, bytesRead);
        let start = 0;
        let emitted = 0;
        while (emitted < max) {
          const newline = data.indexOf(10, start);
          if (newline < 0) break;
          emitLine(data.toString('utf8', start, newline), out);
          start = newline + 1;
          emitted++;
        }
        reader.offset += start;
        reader.carry = Buffer.from(data.subarray(start));
        if (bytesRead === 0 && emitted === 0) {
          // End of file: a last line without a newline still counts.
          if (reader.carry.length > 0) {
            emitLine(reader.carry.toString('utf8'), out);
            reader.offset += reader.carry.length;
            reader.carry = Buffer.alloc(0);
          }
          reader.done = true;
          await reader.handle.close();
          reader.handle = null;
        }
        return 'more';
      },
      snapshotState() {
        const state: Record<string, unknown> = {};
        for (const reader of readers)
          state[reader.id] = { offset: reader.offset, done: reader.done };
        return state;
      },
      resubmit(value: unknown, out: Collector) {
        // An edited line comes back as a string: parse it as the source would have.
        if (typeof value === 'string' && format === 'jsonl') emitLine(value, out);
        else out.emit(value);
      },
      async close() {
        for (const reader of readers) await reader.handle?.close().catch(() => undefined);
      },
    };
  },
};
