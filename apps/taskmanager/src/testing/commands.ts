/**
 * @module
 * Builders of valid protocol commands for unit tests.
 */
import { buildJobGraph, type DeployCommand, JobDefinitionDto } from '@flinknet/contracts';

export const JOB_ID = '3b241101-e2bb-4255-8caf-4136c566a962';

const definition = JobDefinitionDto.parse({
  jobName: 'unit',
  steps: [
    {
      name: 'src',
      operatorType: 'Source',
      typeName: 'sequence',
      operatorProperties: { count: 10 },
    },
    {
      name: 'out',
      operatorType: 'Sink',
      typeName: 'file',
      operatorProperties: { path: 'out/unit' },
    },
  ],
});

/** An endless, slow job (sequence -> discard) for tests that need something running. */
export const endlessDefinition = JobDefinitionDto.parse({
  jobName: 'endless',
  steps: [
    {
      name: 'src',
      operatorType: 'Source',
      typeName: 'sequence',
      operatorProperties: { ratePerSecond: 50 },
    },
    { name: 'out', operatorType: 'Sink', typeName: 'discard' },
  ],
});

/** A deploy of every subtask of `jobDefinition` (default: a two-step job with one subtask each). */
export function deployCommand(
  attempt: number,
  restore: number | null = null,
  jobId = JOB_ID,
  jobDefinition: JobDefinitionDto = definition,
): DeployCommand {
  const jobGraph = buildJobGraph(jobDefinition);
  return {
    type: 'deploy',
    jobId,
    attempt,
    jobName: jobDefinition.jobName,
    definition: jobDefinition,
    jobGraph,
    tasks: jobGraph.vertices.flatMap((v) =>
      Array.from({ length: v.parallelism }, (_, subtaskIndex) => ({
        vertexId: v.id,
        subtaskIndex,
      })),
    ),
    restore: restore === null ? null : { checkpointId: restore },
  };
}
