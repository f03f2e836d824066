/**
 * @module
 * What a user submits: JobDefinitionDto and its parts, with the field names of
 * Flink.NET's DTOs in camelCase, and the checks a user expects before anything
 * is stored.
 */
import { z } from 'zod';
import { MAX_PARALLELISM } from './common';

export const OperatorType = z.enum(['Source', 'Operator', 'Sink']);
export type OperatorType = z.infer<typeof OperatorType>;

const StepName = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/,
    'letters, digits, space, ".", "_" and "-", starting with a letter or digit',
  );

const TypeName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/, 'lower-case words separated by "-" or "."');

/** How a step keys its output: `field:<name>` or an expression. */
export const OutputKeyingConfigDto = z.strictObject({
  serializedKeySelector: z
    .string()
    .min(1)
    .max(2000)
    .describe('`field:<name>` or `expr:<expression>`; the key of each record'),
  keyType: z.string().max(100).optional(),
  maxParallelism: z.number().int().min(1).max(32768).optional(),
});
export type OutputKeyingConfigDto = z.infer<typeof OutputKeyingConfigDto>;

export const WindowAssignerType = z.enum([
  'TumblingProcessingTime',
  'TumblingEventTime',
  'SlidingProcessingTime',
  'SlidingEventTime',
  'ProcessingTimeSession',
  'EventTimeSession',
]);
export type WindowAssignerType = z.infer<typeof WindowAssignerType>;

const WindowConfigFields = z.strictObject({
  assignerType: WindowAssignerType,
  sizeMs: z.number().int().positive().optional().describe('window size (tumbling, sliding)'),
  slideMs: z.number().int().positive().optional().describe('slide (sliding windows only)'),
  gapMs: z.number().int().positive().optional().describe('inactivity gap (session windows only)'),
  allowedLatenessMs: z.number().int().nonnegative().optional().describe('event time only'),
  timestampField: z.string().min(1).max(100).optional().describe('event-time field, default `ts`'),
  triggerType: z.string().max(100).optional(),
  evictorType: z.string().max(100).optional(),
});

/** Window of a window-aggregate step; fields must match the assigner. */
export const WindowConfigDto = WindowConfigFields.superRefine((w, ctx) => {
  const sliding = w.assignerType.startsWith('Sliding');
  const session = w.assignerType.endsWith('Session');
  const eventTime = w.assignerType.includes('EventTime');
  if (!session && w.sizeMs === undefined) {
    ctx.addIssue({ code: 'custom', path: ['sizeMs'], message: `${w.assignerType} needs sizeMs` });
  }
  if (sliding && w.slideMs === undefined) {
    ctx.addIssue({ code: 'custom', path: ['slideMs'], message: `${w.assignerType} needs slideMs` });
  }
  if (!sliding && w.slideMs !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['slideMs'],
      message: 'slideMs is only for sliding windows',
    });
  }
  if (sliding && w.slideMs !== undefined && w.sizeMs !== undefined && w.slideMs > w.sizeMs) {
    ctx.addIssue({ code: 'custom', path: ['slideMs'], message: 'slideMs must not exceed sizeMs' });
  }
  if (session && w.gapMs === undefined) {
    ctx.addIssue({ code: 'custom', path: ['gapMs'], message: `${w.assignerType} needs gapMs` });
  }
  if (session && w.sizeMs !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['sizeMs'],
      message: 'session windows have a gap, not a size',
    });
  }
  if (!session && w.gapMs !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['gapMs'], message: 'gapMs is only for session windows' });
  }
  if (!eventTime && w.allowedLatenessMs !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['allowedLatenessMs'],
      message: 'allowed lateness needs event time',
    });
  }
  if (!eventTime && w.timestampField !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['timestampField'],
      message: 'timestampField needs event time',
    });
  }
});
export type WindowConfigDto = z.infer<typeof WindowConfigDto>;

const OperatorProperties = z.record(z.string(), z.unknown());

/** An operator fused into the step before it (Flink's operator chaining). */
export const ChainedOperatorDto = z.strictObject({
  name: StepName,
  typeName: TypeName,
  operatorProperties: OperatorProperties.optional(),
});
export type ChainedOperatorDto = z.infer<typeof ChainedOperatorDto>;

const OperatorDefinitionFields = z.strictObject({
  name: StepName,
  operatorType: OperatorType,
  typeName: TypeName.describe('an operator some registered TaskManager offers'),
  parallelism: z.number().int().min(1).max(MAX_PARALLELISM).optional().describe('default 1'),
  inputs: z.array(StepName).max(1).optional().describe('the step before this one (linear chains)'),
  outputKeying: OutputKeyingConfigDto.optional(),
  chainedOperators: z.array(ChainedOperatorDto).max(20).optional(),
  windowing: WindowConfigDto.optional(),
  operatorProperties: OperatorProperties.optional(),
  operatorPropertiesJson: z
    .string()
    .max(65536)
    .optional()
    .describe('alias of operatorProperties as a JSON string'),
});

/**
 * One step of a job. `operatorPropertiesJson` (Flink.NET's string form) is
 * parsed into `operatorProperties`; giving both is an error.
 */
export const OperatorDefinitionDto = OperatorDefinitionFields.transform((step, ctx) => {
  const { operatorPropertiesJson, ...rest } = step;
  if (operatorPropertiesJson === undefined)
    return { ...rest, operatorProperties: rest.operatorProperties ?? {} };
  if (rest.operatorProperties !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['operatorPropertiesJson'],
      message: 'give operatorProperties or operatorPropertiesJson, not both',
    });
    return z.NEVER;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(operatorPropertiesJson);
  } catch {
    ctx.addIssue({
      code: 'custom',
      path: ['operatorPropertiesJson'],
      message: 'is not valid JSON',
    });
    return z.NEVER;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    ctx.addIssue({
      code: 'custom',
      path: ['operatorPropertiesJson'],
      message: 'must encode a JSON object',
    });
    return z.NEVER;
  }
  return { ...rest, operatorProperties: parsed as Record<string, unknown> };
});
/** The step as submitted (input side). */
export type OperatorDefinitionInput = z.input<typeof OperatorDefinitionDto>;
/** The step after normalisation: operatorProperties always present. */
export type OperatorDefinitionDto = z.infer<typeof OperatorDefinitionDto>;

export const ErrorTolerance = z.enum(['none', 'all']);
export type ErrorTolerance = z.infer<typeof ErrorTolerance>;

/** Fixed-delay restart strategy: how a job recovers from task failures. */
export const RestartStrategyDto = z.strictObject({
  attempts: z.number().int().min(0).max(1000).default(3),
  delayMs: z.number().int().min(0).max(3_600_000).default(1000),
});
export type RestartStrategyDto = z.infer<typeof RestartStrategyDto>;

/** What `POST /api/jobmanager/submit` takes. */
export const JobDefinitionDto = z
  .strictObject({
    jobName: z.string().min(1).max(200),
    steps: z.array(OperatorDefinitionDto).min(2).max(50),
    checkpointIntervalMs: z
      .number()
      .int()
      .min(100)
      .max(86_400_000)
      .optional()
      .describe('omit to disable'),
    errorTolerance: ErrorTolerance.default('none'),
    restartStrategy: RestartStrategyDto.optional(),
    maxParallelism: z.number().int().min(1).max(MAX_PARALLELISM).default(MAX_PARALLELISM),
  })
  .superRefine((job, ctx) => {
    const { steps } = job;
    const names = new Map<string, number>();
    steps.forEach((step, i) => {
      const first = names.get(step.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'name'],
          message: `duplicate step name (also steps[${first}])`,
        });
      } else names.set(step.name, i);
      const expected: OperatorType =
        i === 0 ? 'Source' : i === steps.length - 1 ? 'Sink' : 'Operator';
      if (step.operatorType !== expected) {
        const where =
          i === 0 ? 'the first step' : i === steps.length - 1 ? 'the last step' : 'a middle step';
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'operatorType'],
          message: `${where} must be a ${expected}, got ${step.operatorType}`,
        });
      }
      if (step.inputs !== undefined) {
        const previous = steps[i - 1]?.name;
        const ok =
          i === 0
            ? step.inputs.length === 0
            : step.inputs.length === 1 && step.inputs[0] === previous;
        if (!ok) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'inputs'],
            message:
              i === 0 ? 'a Source has no inputs' : `must name the step before it ("${previous}")`,
          });
        }
      }
      if ((step.parallelism ?? 1) > job.maxParallelism) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'parallelism'],
          message: `must not exceed maxParallelism ${job.maxParallelism}`,
        });
      }
      if (step.windowing !== undefined && step.operatorType !== 'Operator') {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'windowing'],
          message: 'only an Operator step can window',
        });
      }
    });
  });
export type JobDefinitionInput = z.input<typeof JobDefinitionDto>;
export type JobDefinitionDto = z.infer<typeof JobDefinitionDto>;
