/**
 * @module
 * Object literals of the expression fast path.
 */
import type { Eval } from './fastPath';

/**
 * Builds objects with constant keys. Each store site sees one key, so V8
 * keeps one fast object shape (a loop over the keys makes the store site
 * megamorphic and is several times slower).
 */
export function objectBuilder(keys: string[], values: Eval[]): Eval {
  const [k0, k1, k2, k3, k4, k5] = keys as [string, string, string, string, string, string];
  const [v0, v1, v2, v3, v4, v5] = values as [Eval, Eval, Eval, Eval, Eval, Eval];
  switch (keys.length) {
    case 0:
      return () => ({});
    case 1:
      return (s) => {
        const o: Record<string, unknown> = {};
        o[k0] = v0(s);
        return o;
      };
    case 2:
      return (s) => {
        const o: Record<string, unknown> = {};
        o[k0] = v0(s);
        o[k1] = v1(s);
        return o;
      };
    case 3:
      return (s) => {
        const o: Record<string, unknown> = {};
        o[k0] = v0(s);
        o[k1] = v1(s);
        o[k2] = v2(s);
        return o;
      };
    case 4:
      return (s) => {
        const o: Record<string, unknown> = {};
        o[k0] = v0(s);
        o[k1] = v1(s);
        o[k2] = v2(s);
        o[k3] = v3(s);
        return o;
      };
    case 5:
      return (s) => {
        const o: Record<string, unknown> = {};
        o[k0] = v0(s);
        o[k1] = v1(s);
        o[k2] = v2(s);
        o[k3] = v3(s);
        o[k4] = v4(s);
        return o;
      };
    default:
      return (s) => {
        const o: Record<string, unknown> = {};
        o[k0] = v0(s);
        o[k1] = v1(s);
        o[k2] = v2(s);
        o[k3] = v3(s);
        o[k4] = v4(s);
        o[k5] = v5(s);
        return o;
      };
  }
}
