/**
 * @module
 * The built-in catalogue (DESIGN.md section 5).
 */
import type { OperatorDefinition } from '../api';
import { dedupeOperator } from './dedupe';
import { discardSink } from './discardSink';
import { fileSink } from './fileSink';
import { fileSource } from './fileSource';
import { filterOperator } from './filter';
import { flatMapOperator } from './flatMap';
import { httpSink } from './httpSink';
import { keyByOperator } from './keyBy';
import { logSink } from './logSink';
import { mapOperator } from './map';
import { sequenceSource } from './sequenceSource';
import { windowAggregateOperator } from './windowAggregate';

export const builtInOperators: readonly OperatorDefinition[] = [
  sequenceSource,
  fileSource,
  mapOperator,
  filterOperator,
  flatMapOperator,
  keyByOperator,
  windowAggregateOperator,
  dedupeOperator,
  fileSink,
  httpSink,
  logSink,
  discardSink,
];

export {
  dedupeOperator,
  discardSink,
  fileSink,
  fileSource,
  filterOperator,
  flatMapOperator,
  httpSink,
  keyByOperator,
  logSink,
  mapOperator,
  sequenceSource,
  windowAggregateOperator,
};
