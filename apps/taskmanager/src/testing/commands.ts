/**
 * @module
 * Builders of valid protocol commands for unit tests.
 */
import { buildJobGraph, type DeployCommand, JobDefinitionDto } from '@flinknet/contracts';

export const JOB_ID = '3b241101-e2bb-4255-8caf-4136c566a962';

const definition = JobDefinitionDto.parse({
  jobName: 'unit',
  steps: [
    { name: 'src', operatorType: 'Source', typeName: 'sequence', operatorProperties: { count: 10 } },
    { name: 'out', operatorType: 'Sink', typeName: 'file', operatorProperties: { path: 'out/unit' } },
  ],
});

/** A deploy of both subtasks of a two-step job. */
export function deployCommand(attempt: number, restore: number | null = null, jobId = JOB_ID): DeployCommand {
  return {
    type: 'deploy',
    jobId,
    attempt,
    jobName: 'unit',
    definition,
    jobGraph: buildJobGraph(definition),
    tasks: [
      { vertexId: 'src', subtaskIndex: 0 },
      { vertexId: 'out', subtaskIndex: 0 },
    ],
    restore: restore === null ? null : { checkpointId: restore },
  };
}
