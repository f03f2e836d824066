/**
 * @module
 * Sink `discard`: drops every record (benchmarks, dry runs).
 */
import type { SinkDefinition } from '../api';

export const discardSink: SinkDefinition = {
  operatorType: 'Sink',
  typeName: 'discard',
  description: 'Drops every record',
  create() {
    return { invoke() {} };
  },
};
