/**
 * @module
 * The job definitions the suite submits, seeds and runs. Every one uses only
 * built-in operators, so any TaskManager can run it.
 */
import { buildJobGraph, JobDefinitionDto, type JobGraphDto } from '@flinknet/contracts';

/** The pipeline of the throughput measures: sequence -> map -> filter -> discard. */
export const PIPELINE_MAP = '{"seq": value.seq, "key": value.key, "double": value.seq * 2}';
export const PIPELINE_FILTER = 'value.seq % 3 != 0';

/** A definition of sequence -> map -> filter -> discard at parallelism 1. */
export function pipelineDefinition(options: {
  jobName: string;
  count?: number | undefined;
  ratePerSecond?: number | undefined;
  checkpointIntervalMs?: number | undefined;
}): JobDefinitionDto {
  const sourceProperties: Record<string, number> = { keys: 100 };
  if (options.count !== undefined) sourceProperties.count = options.count;
  if (options.ratePerSecond !== undefined) sourceProperties.ratePerSecond = options.ratePerSecond;
  return JobDefinitionDto.parse({
    jobName: options.jobName,
    steps: [
      {
        name: 'numbers',
        operatorType: 'Source',
        typeName: 'sequence',
        parallelism: 1,
        operatorProperties: sourceProperties,
      },
      {
        name: 'shape',
        operatorType: 'Operator',
        typeName: 'map',
        parallelism: 1,
        operatorProperties: { expression: PIPELINE_MAP },
      },
      {
        name: 'thirds-out',
        operatorType: 'Operator',
        typeName: 'filter',
        parallelism: 1,
        operatorProperties: { expression: PIPELINE_FILTER },
      },
      { name: 'out', operatorType: 'Sink', typeName: 'discard', parallelism: 1 },
    ],
    ...(options.checkpointIntervalMs === undefined
      ? {}
      : { checkpointIntervalMs: options.checkpointIntervalMs }),
  });
}

/** A small job as a user would submit it: the body of the submit measures. */
export function submitBody(jobName: string): JobDefinitionDto {
  return pipelineDefinition({ jobName, ratePerSecond: 10 });
}

/** Definition and graph of a seeded job. */
export function seededJob(index: number): { definition: JobDefinitionDto; jobGraph: JobGraphDto } {
  const definition = pipelineDefinition({ jobName: `seeded-${index}`, count: 1000 });
  return { definition, jobGraph: buildJobGraph(definition) };
}
