/**
 * @module
 * JobManager data dirs holding a seeded database. Each job count is seeded
 * once per run into a template, then copied: measures that need the same
 * database do not pay for seeding twice.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fmt } from './report';
import { seedFinishedJobs } from './seedJobs';
import type { BenchContext } from './types';

const templates = new Map<string, string[]>();

/** A new data dir `<workDir>/<name>` whose `flinknet.db` holds `count` finished jobs; returns it and the job ids. */
export function seededDataDir(
  ctx: BenchContext,
  name: string,
  count: number,
): { dataDir: string; jobIds: string[] } {
  const templateDir = join(ctx.workDir, 'templates', String(count));
  const key = `${ctx.workDir}:${count}`;
  let jobIds = templates.get(key);
  if (!jobIds) {
    ctx.log(`seeding ${fmt(count)} jobs`);
    const seeded = seedFinishedJobs(join(templateDir, 'flinknet.db'), count);
    ctx.log(`seeded ${fmt(count)} jobs in ${fmt(seeded.ms / 1000, 1)} s`);
    jobIds = seeded.jobIds;
    templates.set(key, jobIds);
  }
  const dataDir = join(ctx.workDir, name);
  if (existsSync(dataDir)) throw new Error(`data dir ${dataDir} exists already`);
  mkdirSync(dataDir, { recursive: true });
  // The seeding connections are closed, so the database is whole in its main file.
  copyFileSync(join(templateDir, 'flinknet.db'), join(dataDir, 'flinknet.db'));
  return { dataDir, jobIds };
}
