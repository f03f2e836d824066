/**
 * @module
 * Whether the job list stays flat as the table grows: the latency of
 * GET /api/jobmanager/jobs?limit=50 with 100,000 jobs stored against the
 * same request with 1,000, one request at a time, two JobManagers measured
 * in alternating rounds.
 */
import { sequentialLatencies } from '../http/sequential';
import { profileArgs, startJobManager } from '../processes';
import { fmt } from '../report';
import { seededDataDir } from '../seededDataDir';
import { median, pairedRatio, percentile } from '../stats';
import type { BenchContext, Measure, MeasureRow } from '../types';

const PATH = '/api/jobmanager/jobs?limit=50';
const SMALL = 1000;

export const listScalingMeasure: Measure = {
  id: 'list-scaling',
  rows: [
    { id: 'list-scaling', measure: 'list latency with 100,000 jobs vs 1,000', target: '<= 1.5x' },
  ],
  async run(ctx: BenchContext): Promise<MeasureRow[]> {
    const large = ctx.settings.largeJobCount;
    const measure = `GET ${PATH} latency with ${fmt(large)} jobs vs ${fmt(SMALL)}, one request at a time`;
    const small = seededDataDir(ctx, 'list-small', SMALL);
    const big = seededDataDir(ctx, 'list-large', large);
    const [smallJm, bigJm] = await Promise.all([
      startJobManager(small.dataDir, profileArgs(ctx.settings.profileDir, 'list-scaling-small')),
      startJobManager(big.dataDir, profileArgs(ctx.settings.profileDir, 'list-scaling-large')),
    ]);
    const latencies = { small: [] as number[], large: [] as number[] };
    const p50s = { small: [] as number[], large: [] as number[] };
    const targets = { small: smallJm, large: bigJm };
    for (const server of Object.values(targets))
      await sequentialLatencies(server, PATH, ctx.settings.warmupSeconds);
    for (let r = 0; r < ctx.settings.rounds; r++) {
      const order = r % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const);
      for (const which of order) {
        const round = await sequentialLatencies(targets[which], PATH, ctx.settings.loadSeconds);
        latencies[which].push(...round);
        p50s[which].push(percentile(round, 50));
      }
      ctx.log(
        `list-scaling round ${r + 1}/${ctx.settings.rounds}: p50 ${fmt(p50s.large.at(-1)!, 2)} ms with ${fmt(large)} jobs, ${fmt(p50s.small.at(-1)!, 2)} ms with ${fmt(SMALL)}`,
      );
    }
    await Promise.all([smallJm.stop(), bigJm.stop()]);
    const largeP50 = median(p50s.large);
    const smallP50 = median(p50s.small);
    const growth = pairedRatio(p50s.large, p50s.small);
    return [
      {
        id: 'list-scaling',
        measure,
        value: `p50 ${fmt(largeP50, 2)} ms / p99 ${fmt(percentile(latencies.large, 99), 2)} ms`,
        baseline: `p50 ${fmt(smallP50, 2)} ms / p99 ${fmt(percentile(latencies.small, 99), 2)} ms`,
        ratio: growth,
        target: '<= 1.5x',
        met: growth <= 1.5,
        figures: {
          largeJobs: large,
          smallJobs: SMALL,
          p50MsPerRound: p50s,
          p99Ms: { large: percentile(latencies.large, 99), small: percentile(latencies.small, 99) },
          requests: { large: latencies.large.length, small: latencies.small.length },
        },
      },
    ];
  },
};
