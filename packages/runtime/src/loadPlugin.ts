/**
 * @module
 * Loads a plugin module (`--plugin`): it exports `register(registry)`, or a
 * default (or `operators`) array of OperatorDefinitions.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OperatorDefinition } from './api';
import { type OperatorRegistry, validateDefinition } from './registry';

export class PluginLoadError extends Error {
  override readonly name = 'PluginLoadError';
}

/**
 * Imports the module at `modulePath` and registers what it offers; returns
 * the `"<operatorType>:<typeName>"` keys it registered.
 */
export async function loadPlugin(
  registry: OperatorRegistry,
  modulePath: string,
): Promise<string[]> {
  if (typeof modulePath !== 'string' || modulePath.trim() === '')
    throw new PluginLoadError('plugin path must be a non-empty string');
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new PluginLoadError(
      `cannot load plugin ${modulePath}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const registered: string[] = [];
  // Record what the plugin registers, including keys that replace built-ins.
  const recording: OperatorRegistry = {
    register(definition: OperatorDefinition) {
      registry.register(definition);
      registered.push(`${definition.operatorType}:${definition.typeName}`);
    },
    get: (type, name) => registry.get(type, name),
    offered: () => registry.offered(),
  };
  if (typeof module.register === 'function') {
    await (module.register as (r: OperatorRegistry) => unknown)(recording);
  } else {
    const list = Array.isArray(module.default)
      ? module.default
      : Array.isArray(module.operators)
        ? module.operators
        : null;
    if (!list) {
      throw new PluginLoadError(
        `plugin ${modulePath} exports neither register(registry) nor an array of operator definitions`,
      );
    }
    const definitions = list.map((d: unknown) => validateDefinition(d));
    for (const definition of definitions) recording.register(definition);
  }
  if (registered.length === 0)
    throw new PluginLoadError(`plugin ${modulePath} registered no operators`);
  return [...new Set(registered)];
}
