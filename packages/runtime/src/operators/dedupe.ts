/**
 * @module
 * Operator `dedupe`: passes the first record of each id (`expression`, default
 * the record's key on keyed steps, else the whole record) and drops repeats
 * seen within `ttlMs` (default: forever). On keyed steps the seen ids are
 * keyed state (checkpointed by key group, expired by processing-time
 * timers); otherwise they are the subtask's own checkpointed state.
 */
import type { OperatorFunctionDefinition } from '../api';
import { compileExpression, RecordRejectedError } from '../expressions/compileExpression';
import { canonicalKey } from '../keyGroups';
import { readProperties } from './properties';

const SEEN_STATE = 'dedupe.seen';
const SWEEP_EVERY = 10_000;

export const dedupeOperator: OperatorFunctionDefinition = {
  operatorType: 'Operator',
  typeName: 'dedupe',
  description: 'Drops records whose id (CEL expression) was seen within ttlMs',
  create(ctx) {
    const props = readProperties(ctx.stepName, ctx.properties);
    const source = props.optionalString('expression');
    const ttl = props.optionalInteger('ttlMs', 1);
    const expression = source === undefined ? null : compileExpression(source);
    const idOf = (value: unknown, key: unknown): string => {
      const id = expression !== null ? expression(value, key) : ctx.keyed ? key : value;
      if (id === null || id === undefined)
        throw new RecordRejectedError('the dedupe id of the record is null');
      return canonicalKey(id);
    };
    const expired = (seenAt: number, now: number) => ttl !== undefined && seenAt + ttl <= now;

    if (ctx.keyed) {
      const seen = ctx.state.map<number>(SEEN_STATE);
      return {
        processRecord(value, key, out) {
          const id = idOf(value, key);
          const now = Date.now();
          const at = seen.get(id);
          if (at !== undefined && !expired(at, now)) return;
          seen.set(id, now);
          if (ttl !== undefined) ctx.timers.registerProcessingTimeTimer(now + ttl);
          out.emit(value);
        },
        onTimer(timestamp) {
          for (const [id, at] of seen.entries()) if (expired(at, timestamp)) seen.delete(id);
        },
      };
    }

    let seen = new Map<string, number>();
    let sinceSweep = 0;
    return {
      restoreState(states) {
        for (const state of states) {
          if (state && typeof state === 'object') {
            for (const [id, at] of Object.entries(state as Record<string, number>))
              seen.set(id, at);
          }
        }
      },
      processRecord(value, key, out) {
        const id = idOf(value, key);
        const now = Date.now();
        if (ttl !== undefined && ++sinceSweep >= SWEEP_EVERY) {
          sinceSweep = 0;
          seen = new Map([...seen].filter(([, at]) => !expired(at, now)));
        }
        const at = seen.get(id);
        if (at !== undefined && !expired(at, now)) return;
        seen.set(id, now);
        out.emit(value);
      },
      snapshotState() {
        return Object.fromEntries(seen);
      },
    };
  },
};
