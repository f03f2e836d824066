/**
 * @module
 * The operator registry: built-ins plus whatever plugins register, looked up
 * by `operatorType` and `typeName`; `offered()` is what a TaskManager
 * advertises when it registers.
 */
import type { OperatorDefinition } from './api';
import { builtInOperators } from './operators';

export type OperatorKind = 'Source' | 'Operator' | 'Sink';

export interface OperatorRegistry {
  register(definition: OperatorDefinition): void;
  get(operatorType: OperatorKind, typeName: string): OperatorDefinition | undefined;
  /** `"<operatorType>:<typeName>"` of every registered operator, sorted. */
  offered(): string[];
}

/** A definition that cannot be registered. */
export class InvalidOperatorDefinitionError extends Error {
  override readonly name = 'InvalidOperatorDefinitionError';
}

const TYPE_NAME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
const KINDS: ReadonlySet<string> = new Set(['Source', 'Operator', 'Sink']);

/** Checks a definition's shape (plugins are untyped JavaScript at run time). */
export function validateDefinition(definition: unknown): OperatorDefinition {
  if (definition === null || typeof definition !== 'object') {
    throw new InvalidOperatorDefinitionError('an operator definition must be an object');
  }
  const d = definition as Partial<Record<string, unknown>>;
  if (typeof d.operatorType !== 'string' || !KINDS.has(d.operatorType)) {
    throw new InvalidOperatorDefinitionError(
      `operatorType must be Source, Operator or Sink, got ${JSON.stringify(d.operatorType)}`,
    );
  }
  if (typeof d.typeName !== 'string' || !TYPE_NAME.test(d.typeName) || d.typeName.length > 100) {
    throw new InvalidOperatorDefinitionError(
      `typeName ${JSON.stringify(d.typeName)} must be lower-case words separated by "-" or "."`,
    );
  }
  if (typeof d.create !== 'function') {
    throw new InvalidOperatorDefinitionError(
      `${d.operatorType}:${d.typeName} has no create(ctx) function`,
    );
  }
  if (d.operatorType === 'Source' && typeof d.splits !== 'function') {
    throw new InvalidOperatorDefinitionError(`Source:${d.typeName} has no splits(ctx) function`);
  }
  return definition as OperatorDefinition;
}

class MapRegistry implements OperatorRegistry {
  private readonly definitions = new Map<string, OperatorDefinition>();

  register(definition: OperatorDefinition): void {
    const valid = validateDefinition(definition);
    this.definitions.set(`${valid.operatorType}:${valid.typeName}`, valid);
  }

  get(operatorType: OperatorKind, typeName: string): OperatorDefinition | undefined {
    return this.definitions.get(`${operatorType}:${typeName}`);
  }

  offered(): string[] {
    return [...this.definitions.keys()].sort();
  }
}

/** A registry pre-loaded with every built-in source, operator and sink. */
export function createRegistry(): OperatorRegistry {
  const registry = new MapRegistry();
  for (const definition of builtInOperators) registry.register(definition);
  return registry;
}
