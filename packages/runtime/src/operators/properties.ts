/**
 * @module
 * Reading operatorProperties with clear errors: every built-in validates its
 * properties when its subtask is created, so a typo fails the task at once.
 */

/** A property has the wrong type or value. */
export class InvalidPropertyError extends Error {
  override readonly name = 'InvalidPropertyError';
}

/** Typed readers over a step's operatorProperties. */
export function readProperties(stepName: string, properties: Readonly<Record<string, unknown>>) {
  const bad = (name: string, expected: string) =>
    new InvalidPropertyError(
      `step "${stepName}": operatorProperties.${name} must be ${expected}, got ${JSON.stringify(properties[name])}`,
    );
  return {
    string(name: string): string {
      const value = properties[name];
      if (typeof value !== 'string' || value === '') throw bad(name, 'a non-empty string');
      return value;
    },
    optionalString(name: string): string | undefined {
      return properties[name] === undefined ? undefined : this.string(name);
    },
    optionalNumber(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
      const value = properties[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
        throw bad(name, `a number between ${min} and ${max}`);
      }
      return value;
    },
    optionalInteger(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
      const value = this.optionalNumber(name, min, max);
      if (value !== undefined && !Number.isInteger(value)) throw bad(name, 'an integer');
      return value;
    },
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
      const value = properties[name] ?? fallback;
      if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
        throw bad(name, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
      }
      return value as T;
    },
    optionalRecordOfStrings(name: string): Record<string, string> | undefined {
      const value = properties[name];
      if (value === undefined) return undefined;
      if (
        value === null ||
        typeof value !== 'object' ||
        Array.isArray(value) ||
        Object.values(value).some((v) => typeof v !== 'string')
      ) {
        throw bad(name, 'an object of strings');
      }
      return value as Record<string, string>;
    },
  };
}
