/**
 * @module
 * Path matching for the route table: a tree of path segments, literal
 * segments before `{param}` ones. It also knows which methods a path
 * offers, for 405 answers and their `Allow` header.
 */

interface Node<T> {
  literal: Map<string, Node<T>>;
  param: { name: string; node: Node<T> } | undefined;
  methods: Map<string, T>;
}

export type RouteMatch<T> =
  | { found: true; value: T; params: Record<string, string> }
  | { found: false; allow: string[] };

const newNode = <T>(): Node<T> => ({ literal: new Map(), param: undefined, methods: new Map() });

/** Routes by method and OpenAPI-style path (`/jobs/{jobId}`). */
export class RouteTree<T> {
  readonly #root: Node<T> = newNode();

  /** Adds `value` at `method path`; throws on a duplicate or on two param names at one level. */
  add(method: string, path: string, value: T): void {
    let node = this.#root;
    for (const segment of path.split('/').slice(1)) {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (param === undefined) {
        const next = node.literal.get(segment) ?? newNode<T>();
        node.literal.set(segment, next);
        node = next;
      } else {
        node.param ??= { name: param, node: newNode() };
        if (node.param.name !== param)
          throw new Error(`${path}: {${param}} where another route has {${node.param.name}}`);
        node = node.param.node;
      }
    }
    const upper = method.toUpperCase();
    if (node.methods.has(upper)) throw new Error(`two routes for ${upper} ${path}`);
    node.methods.set(upper, value);
  }

  /**
   * The route for `method` at `path` (HEAD is answered by GET), or the
   * methods the path offers (empty when no route has that path).
   */
  match(method: string, path: string): RouteMatch<T> {
    const segments = path.split('/');
    if (segments[0] !== '') return { found: false, allow: [] };
    const params: Record<string, string> = {};
    const node = find(this.#root, segments, 1, params);
    if (!node) return { found: false, allow: [] };
    const value =
      node.methods.get(method) ?? (method === 'HEAD' ? node.methods.get('GET') : undefined);
    if (value !== undefined) return { found: true, value, params };
    const allow = [...node.methods.keys()];
    if (node.methods.has('GET') && !node.methods.has('HEAD')) allow.push('HEAD');
    return { found: false, allow };
  }
}

function find<T>(
  node: Node<T>,
  segments: string[],
  i: number,
  params: Record<string, string>,
): Node<T> | undefined {
  if (i === segments.length) return node.methods.size > 0 ? node : undefined;
  const segment = segments[i]!;
  const literal = node.literal.get(segment);
  const viaLiteral = literal && find(literal, segments, i + 1, params);
  if (viaLiteral) return viaLiteral;
  if (node.param === undefined || segment === '') return undefined;
  const viaParam = find(node.param.node, segments, i + 1, params);
  if (viaParam) params[node.param.name] = decodeSegment(segment);
  return viaParam;
}

/** A percent-decoded segment; a malformed escape is kept as sent (the param's schema refuses it). */
function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
