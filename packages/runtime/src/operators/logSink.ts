/**
 * @module
 * Sink `log`: writes each record as a JSON line to the job's log (INFO).
 */
import type { SinkDefinition } from '../api';

export const logSink: SinkDefinition = {
  operatorType: 'Sink',
  typeName: 'log',
  description: "Writes each record to the job's log",
  create(ctx) {
    return {
      invoke(value) {
        const text = JSON.stringify(value);
        if (text === undefined) throw new Error('record is not JSON-serialisable');
        ctx.log('INFO', text);
      },
    };
  },
};
