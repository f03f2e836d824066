/**
 * @module
 * The JobGraph derived from a definition: a vertex per step, an edge between
 * consecutive steps with the way records are shipped.
 */
import { z } from 'zod';
import { OperatorType, type JobDefinitionDto } from './job-definition';

export const ShipStrategy = z.enum(['FORWARD', 'HASH', 'REBALANCE']);
export type ShipStrategy = z.infer<typeof ShipStrategy>;

export const JobVertexDto = z.object({
  id: z.string().describe('the step name'),
  name: z.string(),
  index: z.number().int().nonnegative(),
  operatorType: OperatorType,
  typeName: z.string(),
  parallelism: z.number().int().positive(),
  maxParallelism: z.number().int().positive(),
  keyed: z.boolean().describe('true when the input is partitioned by key group'),
});
export type JobVertexDto = z.infer<typeof JobVertexDto>;

export const JobEdgeDto = z.object({
  source: z.string(),
  target: z.string(),
  shipStrategy: ShipStrategy,
});
export type JobEdgeDto = z.infer<typeof JobEdgeDto>;

export const JobGraphDto = z.object({
  vertices: z.array(JobVertexDto),
  edges: z.array(JobEdgeDto),
});
export type JobGraphDto = z.infer<typeof JobGraphDto>;

/** Steps whose output is partitioned by key: key-by, or any step with outputKeying. */
function keysOutput(step: JobDefinitionDto['steps'][number]): boolean {
  return step.outputKeying !== undefined || step.typeName === 'key-by';
}

/**
 * Builds the JobGraph of a validated definition. A keyed step hashes its
 * output by key group; equal parallelism ships FORWARD, otherwise REBALANCE.
 * `parallelismOverrides` (step name -> parallelism) is how rescaling replans.
 */
export function buildJobGraph(
  definition: JobDefinitionDto,
  parallelismOverrides: Readonly<Record<string, number>> = {},
): JobGraphDto {
  const vertices = definition.steps.map((step, index): JobVertexDto => {
    const previous = definition.steps[index - 1];
    return {
      id: step.name,
      name: step.name,
      index,
      operatorType: step.operatorType,
      typeName: step.typeName,
      parallelism: parallelismOverrides[step.name] ?? step.parallelism ?? 1,
      maxParallelism: definition.maxParallelism,
      keyed: previous !== undefined && keysOutput(previous),
    };
  });
  const edges = vertices.slice(1).map((target, i): JobEdgeDto => {
    const source = vertices[i]!;
    const shipStrategy: ShipStrategy = target.keyed
      ? 'HASH'
      : source.parallelism === target.parallelism
        ? 'FORWARD'
        : 'REBALANCE';
    return { source: source.id, target: target.id, shipStrategy };
  });
  return { vertices, edges };
}
