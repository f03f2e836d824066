/**
 * @module
 * Every measure group, in the order a run executes them.
 */
import type { Measure } from '../types';
import { pipelineMeasure } from './pipeline';
import { readRoutesMeasure } from './readRoutes';

export const MEASURES: readonly Measure[] = [readRoutesMeasure, pipelineMeasure];
