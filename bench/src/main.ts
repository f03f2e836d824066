/**
 * @module
 * `pnpm bench`: runs every measure group in turn, prints the markdown table
 * and writes the JSON report. A measure that cannot run is reported as such
 * and the others still run; every child process is killed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEASURES } from './measures';
import { killAllChildren, NotAvailableError, ROOT } from './processes';
import { machineInfo, markdownTable, writeJson } from './report';
import { parseCli, usage } from './settings';
import type { BenchContext, MeasureRow } from './types';

const ids = MEASURES.map((m) => m.id);
let cli: ReturnType<typeof parseCli>;
try {
  cli = parseCli(process.argv.slice(2), ids);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (cli.help) {
  console.log(usage(ids));
  process.exit(0);
}

const workDir = mkdtempSync(join(tmpdir(), 'flinknet-bench-'));
let cleanedUp = false;
async function cleanUp(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  await killAllChildren();
  rmSync(workDir, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

const started = new Date();
const machine = machineInfo();
const ctx: BenchContext = {
  settings: cli.settings,
  workDir,
  log: (message) =>
    console.error(
      `[bench ${((Date.now() - started.getTime()) / 1000).toFixed(1).padStart(5)}s] ${message}`,
    ),
};
ctx.log(
  `${cli.settings.quick ? 'quick' : 'full'} run on ${machine.nproc} x ${machine.cpuModel}, Node ${machine.node}, load ${machine.loadAverage.join(' ')}`,
);

const rows: MeasureRow[] = [];
let crashed = false;
try {
  for (const measure of MEASURES) {
    if (cli.only && !cli.only.includes(measure.id)) continue;
    ctx.log(`== ${measure.id}`);
    try {
      rows.push(...(await measure.run(ctx)));
    } catch (error) {
      const missing = error instanceof NotAvailableError;
      if (!missing) crashed = true;
      const lines = (error as Error).message.split('\n');
      // A child's crash puts its own error a few lines down: name both.
      const cause = lines.slice(1).find((l) => /\b\w*Error\b:/.test(l));
      const reason = [lines[0] ?? 'failed', cause?.replace(/^\[[\w-]+\]\s*/, '')]
        .filter(Boolean)
        .join(' ');
      ctx.log(`${measure.id} did not run: ${(error as Error).stack ?? reason}`);
      rows.push(
        ...measure.rows.map((r) => ({
          ...r,
          value: 'not run',
          baseline: '-',
          ratio: null,
          met: null,
          figures: {},
          note: reason,
        })),
      );
    } finally {
      await killAllChildren();
    }
  }
} finally {
  await cleanUp();
}

const finished = new Date();
const out = cli.out ?? join(ROOT, 'bench/results/latest.json');
writeJson(out, {
  command: `pnpm bench${cli.settings.quick ? ' --quick' : ''}${cli.only ? ` --only ${cli.only.join(',')}` : ''}`,
  settings: cli.settings,
  startedAt: started.toISOString(),
  finishedAt: finished.toISOString(),
  durationSec: Math.round((finished.getTime() - started.getTime()) / 100) / 10,
  machine,
  loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
  results: rows,
});
console.log(markdownTable(rows));
console.log(
  `\n${machine.nproc} x ${machine.cpuModel}, Node ${machine.node}; load average ${machine.loadAverage.join(' ')} at the start. JSON: ${out}`,
);
ctx.log(`done in ${((finished.getTime() - started.getTime()) / 1000).toFixed(1)} s`);
process.exit(crashed ? 1 : 0);
