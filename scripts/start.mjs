#!/usr/bin/env node
// `pnpm start`: the local cluster. One JobManager and FLINKNET_TASKMANAGERS
// TaskManagers, each a real process run from source through tsx, sharing the
// data dir `.flinknet/` (SQLite, checkpoints, admin.token, TaskManager data).
// Ctrl-C (or SIGTERM) stops the TaskManagers first, then the JobManager.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const root = resolve(new URL('..', import.meta.url).pathname);
const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    taskmanagers: { type: 'string' },
    slots: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: pnpm start [--host H] [--port P] [--data-dir DIR] [--taskmanagers N] [--slots N]
Runs a local FlinkNet cluster: a JobManager and N TaskManagers.
Flags override FLINKNET_HOST, FLINKNET_PORT, FLINKNET_DATA_DIR, FLINKNET_TASKMANAGERS, FLINKNET_SLOTS.`);
  process.exit(0);
}

const env = process.env;
const host = values.host ?? env.FLINKNET_HOST ?? '127.0.0.1';
const port = values.port ?? env.FLINKNET_PORT ?? '8081';
const dataDir = resolve(values['data-dir'] ?? env.FLINKNET_DATA_DIR ?? '.flinknet');
const taskManagers = Number(values.taskmanagers ?? env.FLINKNET_TASKMANAGERS ?? 2);
const slots = Number(values.slots ?? env.FLINKNET_SLOTS ?? 4);
for (const [name, value] of [
  ['taskmanagers', taskManagers],
  ['slots', slots],
]) {
  if (!Number.isInteger(value) || value < 0 || (name === 'slots' && value < 1)) {
    console.error(
      `error: --${name} must be a ${name === 'slots' ? 'positive' : 'non-negative'} integer`,
    );
    process.exit(2);
  }
}
mkdirSync(dataDir, { recursive: true });

const children = new Set();
let stopping = false;

function run(name, script, args) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, script), ...args], {
    cwd: root,
    env: { ...env, FLINKNET_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C reaches only this launcher, which stops the
    // TaskManagers before the JobManager so their last heartbeats land.
    detached: true,
  });
  children.add(child);
  const prefix = `[${name}]`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      console.log(`${prefix} ${line}`);
      child.emit('line', line);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) {
      console.error(`${prefix} exited (${signal ?? code}); stopping the cluster`);
      shutdown(1);
    }
  });
  return child;
}

function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  const all = [...children];
  const jobManager = all.shift();
  for (const tm of all) tm.kill('SIGTERM');
  const waitTms = Promise.all(all.map((c) => new Promise((r) => c.once('exit', r))));
  const timer = setTimeout(() => {
    for (const c of children) c.kill('SIGKILL');
  }, 10_000);
  waitTms.then(() => {
    if (jobManager && children.has(jobManager)) {
      jobManager.once('exit', () => {
        clearTimeout(timer);
        process.exit(code);
      });
      jobManager.kill('SIGTERM');
    } else {
      clearTimeout(timer);
      process.exit(code);
    }
  });
}
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

const jobManager = run('jobmanager', 'apps/jobmanager/src/main.ts', [
  '--host',
  host,
  '--port',
  port,
  '--data-dir',
  dataDir,
]);
jobManager.on('line', (line) => {
  const match = /JobManager listening on (http:\/\/\S+)/.exec(line);
  if (!match) return;
  const url = match[1];
  const tokenFile = join(dataDir, 'admin.token');
  const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined;
  for (let i = 1; i <= taskManagers; i++) {
    run(`taskmanager-${i}`, 'apps/taskmanager/src/main.ts', [
      '--jobmanager',
      url,
      '--slots',
      String(slots),
      '--data-dir',
      join(dataDir, 'taskmanager-data'),
      '--id',
      `local-tm-${i}`,
      ...(token ? ['--token', token] : []),
    ]);
  }
  console.log(
    `\nFlinkNet local cluster: ${url} (${taskManagers} TaskManagers x ${slots} slots, data in ${dataDir})`,
  );
  console.log(`Try: pnpm flinknet submit examples/clicks-per-user.json --wait RUNNING\n`);
});
