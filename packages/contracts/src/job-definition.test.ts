import { describe, expect, it } from 'vitest';
import { JobDefinitionDto, type JobDefinitionInput } from './job-definition';
import { buildJobGraph } from './job-graph';

const valid: JobDefinitionInput = {
  jobName: 'clicks-per-user',
  steps: [
    {
      name: 'clicks',
      operatorType: 'Source',
      typeName: 'sequence',
      parallelism: 2,
      operatorProperties: { count: 1_000_000, keys: 100 },
    },
    {
      name: 'per-user',
      operatorType: 'Operator',
      typeName: 'window-aggregate',
      outputKeying: { serializedKeySelector: 'field:key' },
      windowing: { assignerType: 'TumblingProcessingTime', sizeMs: 1000 },
      operatorProperties: { aggregate: 'count' },
    },
    {
      name: 'out',
      operatorType: 'Sink',
      typeName: 'file',
      operatorProperties: { path: 'out/clicks' },
    },
  ],
  checkpointIntervalMs: 1000,
};

function issuesOf(input: unknown) {
  const result = JobDefinitionDto.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: issue.path.join('/'),
    message: issue.message,
  }));
}

function withStep(index: number, patch: Record<string, unknown>): unknown {
  const steps = valid.steps.map((step, i) => (i === index ? { ...step, ...patch } : step));
  return { ...valid, steps };
}

describe('JobDefinitionDto', () => {
  it('accepts the design document example and fills defaults', () => {
    const job = JobDefinitionDto.parse(valid);
    expect(job.errorTolerance).toBe('none');
    expect(job.maxParallelism).toBe(128);
    expect(job.steps[2]?.operatorProperties).toEqual({ path: 'out/clicks' });
  });

  it('accepts a Flink.NET-style payload with operatorPropertiesJson and inputs', () => {
    const job = JobDefinitionDto.parse({
      jobName: 'Flink Job',
      steps: [
        {
          name: 'src',
          operatorType: 'Source',
          typeName: 'file',
          operatorPropertiesJson: '{"path":"in/a.jsonl","format":"jsonl"}',
        },
        {
          name: 'upper',
          operatorType: 'Operator',
          typeName: 'map',
          inputs: ['src'],
          operatorPropertiesJson: '{"expression":"value"}',
        },
        { name: 'sink', operatorType: 'Sink', typeName: 'log', inputs: ['upper'] },
      ],
    });
    expect(job.steps[0]?.operatorProperties).toEqual({ path: 'in/a.jsonl', format: 'jsonl' });
    expect(job.steps[1]).not.toHaveProperty('operatorPropertiesJson');
    expect(job.steps[2]?.operatorProperties).toEqual({});
  });

  it('rejects a chain whose first step is not a Source, with the path of the field', () => {
    expect(issuesOf(withStep(0, { operatorType: 'Operator' }))).toContainEqual({
      path: 'steps/0/operatorType',
      message: 'the first step must be a Source, got Operator',
    });
  });

  it('rejects a chain whose last step is not a Sink', () => {
    expect(issuesOf(withStep(2, { operatorType: 'Operator' })).map((i) => i.path)).toContain(
      'steps/2/operatorType',
    );
  });

  it('rejects duplicate step names', () => {
    expect(issuesOf(withStep(1, { name: 'clicks' })).map((i) => i.path)).toContain('steps/1/name');
  });

  it('rejects inputs that do not name the step before', () => {
    expect(issuesOf(withStep(2, { inputs: ['clicks'] }))).toContainEqual({
      path: 'steps/2/inputs',
      message: 'must name the step before it ("per-user")',
    });
  });

  it('rejects parallelism outside 1..maxParallelism', () => {
    expect(issuesOf(withStep(0, { parallelism: 0 })).map((i) => i.path)).toContain(
      'steps/0/parallelism',
    );
    expect(issuesOf(withStep(0, { parallelism: 129 })).map((i) => i.path)).toContain(
      'steps/0/parallelism',
    );
    expect(
      issuesOf({ ...(withStep(0, { parallelism: 8 }) as object), maxParallelism: 4 }).map(
        (i) => i.path,
      ),
    ).toContain('steps/0/parallelism');
  });

  it('rejects window fields that do not fit the assigner', () => {
    const paths = (windowing: unknown) => issuesOf(withStep(1, { windowing })).map((i) => i.path);
    expect(paths({ assignerType: 'TumblingProcessingTime' })).toContain('steps/1/windowing/sizeMs');
    expect(paths({ assignerType: 'SlidingEventTime', sizeMs: 1000 })).toContain(
      'steps/1/windowing/slideMs',
    );
    expect(paths({ assignerType: 'SlidingEventTime', sizeMs: 1000, slideMs: 2000 })).toContain(
      'steps/1/windowing/slideMs',
    );
    expect(paths({ assignerType: 'EventTimeSession', sizeMs: 10 })).toEqual(
      expect.arrayContaining(['steps/1/windowing/gapMs', 'steps/1/windowing/sizeMs']),
    );
    expect(
      paths({ assignerType: 'TumblingProcessingTime', sizeMs: 10, allowedLatenessMs: 5 }),
    ).toContain('steps/1/windowing/allowedLatenessMs');
    expect(
      paths({
        assignerType: 'SlidingEventTime',
        sizeMs: 1000,
        slideMs: 250,
        allowedLatenessMs: 100,
      }),
    ).toEqual([]);
  });

  it('rejects unknown fields instead of silently dropping them', () => {
    expect(issuesOf({ ...valid, jobname: 'typo' }).length).toBeGreaterThan(0);
  });

  it('rejects operatorPropertiesJson that is not a JSON object, or given with operatorProperties', () => {
    expect(
      issuesOf(withStep(0, { operatorProperties: undefined, operatorPropertiesJson: '{nope' })),
    ).toContainEqual({
      path: 'steps/0/operatorPropertiesJson',
      message: 'is not valid JSON',
    });
    expect(
      issuesOf(withStep(0, { operatorProperties: undefined, operatorPropertiesJson: '[1]' })).map(
        (i) => i.path,
      ),
    ).toContain('steps/0/operatorPropertiesJson');
    expect(issuesOf(withStep(0, { operatorPropertiesJson: '{}' })).map((i) => i.path)).toContain(
      'steps/0/operatorPropertiesJson',
    );
  });

  it('rejects a job with fewer than two steps or no name', () => {
    expect(issuesOf({ jobName: '', steps: [valid.steps[0]] }).map((i) => i.path)).toEqual(
      expect.arrayContaining(['jobName', 'steps']),
    );
  });
});

describe('buildJobGraph', () => {
  it('keys the input of a window-aggregate that carries outputKeying (the design example)', () => {
    const graph = buildJobGraph(JobDefinitionDto.parse(valid));
    expect(graph.vertices.map((v) => [v.id, v.parallelism, v.keySelector])).toEqual([
      ['clicks', 2, null],
      ['per-user', 1, 'field:key'],
      ['out', 1, null],
    ]);
    expect(graph.edges).toEqual([
      { source: 'clicks', target: 'per-user', shipStrategy: 'HASH' },
      { source: 'per-user', target: 'out', shipStrategy: 'FORWARD' },
    ]);
  });

  it('keys the records after a key-by step by its selector or expression', () => {
    const job = JobDefinitionDto.parse({
      jobName: 'k',
      steps: [
        { name: 's', operatorType: 'Source', typeName: 'sequence', parallelism: 2 },
        {
          name: 'k',
          operatorType: 'Operator',
          typeName: 'key-by',
          parallelism: 2,
          operatorProperties: { expression: 'value.key' },
        },
        {
          name: 'w',
          operatorType: 'Operator',
          typeName: 'window-aggregate',
          parallelism: 2,
          windowing: { assignerType: 'TumblingProcessingTime', sizeMs: 10 },
        },
        { name: 'o', operatorType: 'Sink', typeName: 'discard', parallelism: 2 },
      ],
    });
    const graph = buildJobGraph(job);
    expect(graph.vertices.map((v) => v.keySelector)).toEqual([null, null, 'expr:value.key', null]);
    expect(graph.edges.map((e) => e.shipStrategy)).toEqual(['FORWARD', 'HASH', 'FORWARD']);
  });

  it('applies parallelism overrides when rescaling', () => {
    const graph = buildJobGraph(JobDefinitionDto.parse(valid), { 'per-user': 2, out: 2 });
    expect(graph.vertices[1]?.parallelism).toBe(2);
    expect(graph.edges[1]?.shipStrategy).toBe('FORWARD');
  });
});
