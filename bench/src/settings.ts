/**
 * @module
 * Command-line flags of `pnpm bench` and the settings of a full and a quick run.
 */
import { parseArgs } from 'node:util';
import type { BenchSettings } from './types';

export const USAGE = `Usage: pnpm bench [--quick] [--only <measure>[,<measure>...]] [--out <file>] [--profile]

Measures the JobManager, the submit path, the runtime pipeline and recovery,
each next to a baseline measured in the same run (medians of alternating rounds).
Prints a markdown table on stdout and writes JSON (default bench/results/latest.json).

  --quick       a pass of about a minute: fewer and shorter rounds
  --only        run only these measure groups: MEASURES
  --out         where to write the JSON
  --profile     run the JobManagers and pipeline workers with --cpu-prof; profiles go to
                bench/results/profiles/ (open them in Chrome DevTools or speedscope)
  -h, --help    this text`;

const FULL: BenchSettings = {
  quick: false,
  rounds: 5,
  loadSeconds: 5,
  pipelineSeconds: 4,
  latencyJobs: 200,
  recoveryRounds: 3,
  largeJobCount: 100_000,
  warmupSeconds: 1,
  profileDir: null,
};

const QUICK: BenchSettings = {
  quick: true,
  rounds: 2,
  loadSeconds: 1,
  pipelineSeconds: 2.1,
  latencyJobs: 30,
  recoveryRounds: 1,
  largeJobCount: 100_000,
  warmupSeconds: 0.5,
  profileDir: null,
};

/** Where --profile writes CPU profiles. */
export const PROFILE_DIR = 'bench/results/profiles';

export interface CliOptions {
  settings: BenchSettings;
  only: string[] | null;
  out: string | undefined;
  help: boolean;
}

/** node:util parseArgs over the suite's flags. */
function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}

/** Parses the flags; throws with a usage hint on anything unknown. */
export function parseCli(argv: readonly string[], measureIds: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${usage(measureIds)}`);
  }
  const { values } = parsed;
  let only: string[] | null = null;
  if (values.only !== undefined) {
    only = values.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = only.filter((id) => !measureIds.includes(id));
    if (only.length === 0 || unknown.length > 0) {
      throw new Error(
        `--only: unknown measure ${unknown.join(', ') || '(none given)'}; known: ${measureIds.join(', ')}`,
      );
    }
  }
  const settings = values.quick ? { ...QUICK } : { ...FULL };
  if (values.profile) settings.profileDir = PROFILE_DIR;
  return { settings, only, out: values.out, help: values.help };
}

/** The usage text with the measure names filled in. */
export function usage(measureIds: readonly string[]): string {
  return USAGE.replace('MEASURES', measureIds.join(', '));
}
