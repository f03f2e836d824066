/**
 * @module
 * The JobGraph derived from a definition: a vertex per step, an edge between
 * consecutive steps with the way records are shipped.
 */
import { z } from 'zod';
import { type JobDefinitionDto, OperatorType } from './job-definition';

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
  keySelector: z
    .string()
    .nullable()
    .describe(
      'how records routed into this vertex are keyed: `field:<name>` or `expr:<expression>`; null when not keyed',
    ),
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

type Step = JobDefinitionDto['steps'][number];

/** Operators that key their own input when they carry outputKeying (as in the design's example job). */
const KEYED_INPUT_OPERATORS = new Set(['window-aggregate', 'dedupe']);

/**
 * The key selector of the records entering `step`, or null. A `key-by` step or
 * any other step with `outputKeying` keys what it emits; a window-aggregate or
 * dedupe step that carries `outputKeying` itself keys its own input by it.
 */
export function inputKeySelector(previous: Step | undefined, step: Step): string | null {
  if (previous?.typeName === 'key-by') {
    const expression = previous.operatorProperties.expression;
    return (
      previous.outputKeying?.serializedKeySelector ??
      (typeof expression === 'string' ? `expr:${expression}` : null)
    );
  }
  if (previous?.outputKeying && !KEYED_INPUT_OPERATORS.has(previous.typeName)) {
    return previous.outputKeying.serializedKeySelector;
  }
  if (step.outputKeying && KEYED_INPUT_OPERATORS.has(step.typeName))
    return step.outputKeying.serializedKeySelector;
  return null;
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
    const keySelector = inputKeySelector(definition.steps[index - 1], step);
    return {
      id: step.name,
      name: step.name,
      index,
      operatorType: step.operatorType,
      typeName: step.typeName,
      parallelism: parallelismOverrides[step.name] ?? step.parallelism ?? 1,
      maxParallelism: definition.maxParallelism,
      keyed: keySelector !== null,
      keySelector,
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
