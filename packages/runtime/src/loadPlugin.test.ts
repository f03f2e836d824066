import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlugin, PluginLoadError } from './loadPlugin';
import { createRegistry, InvalidOperatorDefinitionError } from './registry';
import { startJob } from './startJob';
import { committedRecords, deployOf, RecordingHooks, tempDir } from './test-support/jobFixture';

const examplePlugin = fileURLToPath(new URL('../examples/uppercase-plugin.mjs', import.meta.url));
let dir: { path: string; remove: () => Promise<void> };

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

describe('createRegistry', () => {
  it('offers every built-in of the catalogue', () => {
    expect(createRegistry().offered()).toEqual([
      'Operator:dedupe',
      'Operator:filter',
      'Operator:flat-map',
      'Operator:key-by',
      'Operator:map',
      'Operator:window-aggregate',
      'Sink:discard',
      'Sink:file',
      'Sink:http',
      'Sink:log',
      'Source:file',
      'Source:sequence',
    ]);
  });

  it('refuses a definition without create() or with a bad typeName', () => {
    const registry = createRegistry();
    expect(() =>
      registry.register({
        operatorType: 'Operator',
        typeName: 'Bad Name',
        create: () => ({ processRecord() {} }),
      }),
    ).toThrow(InvalidOperatorDefinitionError);
    expect(() => registry.register({ operatorType: 'Sink', typeName: 'nothing' } as never)).toThrow(
      /create/,
    );
  });
});

describe('loadPlugin', () => {
  it('registers the example plugin and returns the keys it added', async () => {
    const registry = createRegistry();
    const keys = await loadPlugin(registry, examplePlugin);
    expect(keys).toEqual([
      'Operator:example.uppercase',
      'Operator:example.running-count',
      'Source:example.words',
    ]);
    expect(registry.offered()).toContain('Source:example.words');
  });

  it('runs a job made of plugin operators, keyed state included', async () => {
    const registry = createRegistry();
    await loadPlugin(registry, examplePlugin);
    const hooks = new RecordingHooks();
    const deploy = deployOf({
      jobName: 'plugin',
      steps: [
        {
          name: 'words',
          operatorType: 'Source',
          typeName: 'example.words',
          operatorProperties: { text: 'a b a c a b' },
        },
        {
          name: 'upper',
          operatorType: 'Operator',
          typeName: 'example.uppercase',
          operatorProperties: { field: 'word' },
        },
        {
          name: 'by-word',
          operatorType: 'Operator',
          typeName: 'key-by',
          outputKeying: { serializedKeySelector: 'field:word' },
        },
        {
          name: 'counts',
          operatorType: 'Operator',
          typeName: 'example.running-count',
          parallelism: 2,
        },
        {
          name: 'out',
          operatorType: 'Sink',
          typeName: 'file',
          operatorProperties: { path: 'words' },
        },
      ],
    });
    const execution = startJob({ deploy, registry, dataDir: dir.path, restore: null, hooks });
    await execution.done;
    const records = (await committedRecords(join(dir.path, 'words'))) as Array<{
      key: string;
      count: number;
    }>;
    const highest = new Map<string, number>();
    for (const r of records) highest.set(r.key, Math.max(highest.get(r.key) ?? 0, r.count));
    expect(Object.fromEntries(highest)).toEqual({ A: 3, B: 2, C: 1 });
  });

  it('accepts a default export array of definitions', async () => {
    const path = join(dir.path, 'array-plugin.mjs');
    await writeFile(
      path,
      `export default [{ operatorType: 'Sink', typeName: 'nowhere', create: () => ({ invoke() {} }) }];\n`,
    );
    expect(await loadPlugin(createRegistry(), path)).toEqual(['Sink:nowhere']);
  });

  it('says why a module is not a plugin', async () => {
    const path = join(dir.path, 'not-a-plugin.mjs');
    await writeFile(path, 'export const answer = 42;\n');
    await expect(loadPlugin(createRegistry(), path)).rejects.toThrow(/exports neither register/);
    await expect(
      loadPlugin(createRegistry(), join(dir.path, 'missing.mjs')),
    ).rejects.toBeInstanceOf(PluginLoadError);
  });
});
