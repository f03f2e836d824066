/**
 * @module
 * Every measure group, in the order a run executes them.
 */
import type { Measure } from '../types';
import { clusterMeasure } from './cluster';
import { listScalingMeasure } from './listScaling';
import { pipelineMeasure } from './pipeline';
import { readRoutesMeasure } from './readRoutes';
import { submitMeasure } from './submit';

export const MEASURES: readonly Measure[] = [
  readRoutesMeasure,
  listScalingMeasure,
  submitMeasure,
  clusterMeasure,
  pipelineMeasure,
];
