import { buildJobGraph, JobDefinitionDto } from '@flinknet/contracts';
import { describe, expect, it } from 'vitest';
import {
  pickTaskManager,
  requiredOperators,
  slotsNeeded,
  subtasksOf,
  unofferedSteps,
} from './scheduler';

const definition = JobDefinitionDto.parse({
  jobName: 'j',
  steps: [
    { name: 'src', operatorType: 'Source', typeName: 'sequence', parallelism: 2 },
    { name: 'map', operatorType: 'Operator', typeName: 'map', parallelism: 3 },
    { name: 'out', operatorType: 'Sink', typeName: 'discard' },
  ],
});
const ops = new Set(['Source:sequence', 'Operator:map', 'Sink:discard']);

describe('scheduler', () => {
  it('needs as many slots as the highest vertex parallelism', () => {
    expect(slotsNeeded(buildJobGraph(definition))).toBe(3);
  });

  it('lists every subtask of every vertex', () => {
    expect(subtasksOf(buildJobGraph(definition))).toHaveLength(6);
  });

  it('places a job on a TaskManager with enough free slots that offers every operator', () => {
    const needs = { slots: 3, operators: requiredOperators(definition) };
    expect(
      pickTaskManager(needs, [
        { taskManagerId: 'small', slotsFree: 2, operators: ops },
        {
          taskManagerId: 'no-map',
          slotsFree: 8,
          operators: new Set(['Source:sequence', 'Sink:discard']),
        },
        { taskManagerId: 'fits', slotsFree: 4, operators: ops },
      ]),
    ).toBe('fits');
  });

  it('places nothing while no TaskManager fits', () => {
    expect(
      pickTaskManager({ slots: 5, operators: [] }, [
        { taskManagerId: 'a', slotsFree: 4, operators: ops },
      ]),
    ).toBeUndefined();
  });

  it('names the steps whose operator nobody offers', () => {
    expect(unofferedSteps(definition, new Set(['Source:sequence', 'Sink:discard']))).toEqual([
      { path: 'steps/1/typeName', message: 'no registered TaskManager offers Operator:map' },
    ]);
  });
});
