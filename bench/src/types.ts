/**
 * @module
 * What a measure gets and what it reports.
 */

/** Settings of one run: `--quick` shortens every round and lowers the counts. */
export interface BenchSettings {
  quick: boolean;
  /** Alternating rounds per comparison (subject and baseline each run this many). */
  rounds: number;
  /** Length of one HTTP load round. */
  loadSeconds: number;
  /** Length of one pipeline round. */
  pipelineSeconds: number;
  /** Jobs of the submit -> RUNNING latency measure. */
  latencyJobs: number;
  /** kill -9 rounds of the recovery measure. */
  recoveryRounds: number;
  /** The large database of the list-scaling measure. */
  largeJobCount: number;
  /** Warm-up before measured rounds. */
  warmupSeconds: number;
  /** With --profile: where the JobManagers and pipeline workers write `.cpuprofile` files. */
  profileDir: string | null;
}

export interface BenchContext {
  readonly settings: BenchSettings;
  /** A temp dir of this run; removed at the end. */
  readonly workDir: string;
  /** Progress on stderr (stdout carries only the table). */
  log(message: string): void;
}

/** One row of the table (and of latest.json). */
export interface MeasureRow {
  id: string;
  measure: string;
  /** The figure of FlinkNet, formatted. */
  value: string;
  /** The baseline figure of the same run, formatted ('-' when the issue names none). */
  baseline: string;
  /** Median over rounds of FlinkNet / baseline (paired rounds), null when the measure has no baseline. */
  ratio: number | null;
  target: string;
  /** Whether the target is met; null when the measure did not run. */
  met: boolean | null;
  /** Raw numbers: every round, percentiles, counts. */
  figures: Record<string, unknown>;
  note?: string | undefined;
}

/** A group of rows measured on shared set-up (one cluster, one seeded database). */
export interface Measure {
  id: string;
  /** The rows it reports, for the table when it cannot run. */
  rows: ReadonlyArray<{ id: string; measure: string; target: string }>;
  run(ctx: BenchContext): Promise<MeasureRow[]>;
}
