/**
 * @module
 * Summarises a V8 `.cpuprofile` (from `pnpm bench --profile`) as the
 * functions with the most self and inclusive time, so a profile can be read
 * in a terminal: `node --import tsx bench/src/profileSummary.ts FILE [N]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `name file:line` of a frame, with node_modules and the repo root shortened. */
function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '~/')
    .replace(/.*\/(packages|apps|bench)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/** Self and inclusive milliseconds per function, largest first. */
export function summarise(profile: CpuProfile): {
  totalMs: number;
  self: Array<[string, number]>;
  inclusive: Array<[string, number]>;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const timeById = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    timeById.set(id, (timeById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of timeById) {
    total += micros;
    const leaf = byId.get(id)!;
    self.set(frameName(leaf), (self.get(frameName(leaf)) ?? 0) + micros);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = frameName(byId.get(cur)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
    }
  }
  const sorted = (m: Map<string, number>) =>
    [...m].map(([k, v]): [string, number] => [k, v / 1000]).sort((a, b) => b[1] - a[1]);
  return { totalMs: total / 1000, self: sorted(self), inclusive: sorted(inclusive) };
}

const file = process.argv[2];
if (process.argv[1]?.endsWith('profileSummary.ts')) {
  if (!file) {
    console.error('usage: profileSummary.ts <file.cpuprofile> [top N]');
    process.exit(2);
  }
  const top = Number(process.argv[3] ?? 25);
  const { totalMs, self, inclusive } = summarise(
    JSON.parse(readFileSync(file, 'utf8')) as CpuProfile,
  );
  const line = ([name, ms]: [string, number]) =>
    `${ms.toFixed(0).padStart(8)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)} %  ${name}`;
  console.log(`${file}: ${totalMs.toFixed(0)} ms sampled\n\nself time:`);
  console.log(self.slice(0, top).map(line).join('\n'));
  console.log('\ninclusive time:');
  console.log(inclusive.slice(0, top).map(line).join('\n'));
}
