/**
 * @module
 * A real cluster for one test: a JobManager process and TaskManager
 * processes sharing one TaskManager data dir (as `pnpm start` does, and as a
 * shared file system would: a restarted sink must see what the dead one
 * staged). Everything lives in a temp dir that `close` removes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type JobManagerProcess,
  type ManagedProcess,
  spawnJobManager,
  spawnTaskManager,
} from './processes';
import { Rest } from './rest';

export interface ClusterOptions {
  taskManagers?: number;
  slots?: number;
  /** Plugin modules every TaskManager loads. */
  plugins?: string[];
}

export interface Cluster {
  readonly root: string;
  readonly jobManager: JobManagerProcess;
  readonly rest: Rest;
  /** The data dir every TaskManager uses: file sink output lives under it. */
  readonly taskManagerDataDir: string;
  readonly taskManagers: Map<string, ManagedProcess>;
  addTaskManager(
    id: string,
    options?: { slots?: number; plugins?: string[] },
  ): Promise<ManagedProcess>;
  /** kill -9 the JobManager and start it again on the same port and data dir. */
  restartJobManager(): Promise<JobManagerProcess>;
  /** Recent output of every process, for failure messages. */
  logs(): string;
  close(): Promise<void>;
}

const open = new Set<Cluster>();

/** Starts a JobManager and `taskManagers` TaskManagers (tm-1, tm-2, ...). */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const root = await mkdtemp(join(tmpdir(), 'flinknet-e2e-'));
  const taskManagerDataDir = join(root, 'taskmanager-data');
  const taskManagers = new Map<string, ManagedProcess>();
  let jobManager: JobManagerProcess | undefined;
  const cluster: Cluster = {
    root,
    get jobManager() {
      if (!jobManager) throw new Error('the JobManager did not start');
      return jobManager;
    },
    get rest() {
      return new Rest(cluster.jobManager.url, cluster.jobManager.token);
    },
    taskManagerDataDir,
    taskManagers,
    async addTaskManager(id, extra = {}) {
      const tm = await spawnTaskManager({
        url: cluster.jobManager.url,
        token: cluster.jobManager.token,
        dataDir: taskManagerDataDir,
        id,
        slots: extra.slots ?? options.slots ?? 4,
        plugins: extra.plugins ?? options.plugins,
      });
      taskManagers.set(id, tm);
      return tm;
    },
    async restartJobManager() {
      const old = cluster.jobManager;
      await old.kill();
      jobManager = await spawnJobManager(join(root, 'jobmanager'), Number(new URL(old.url).port));
      return jobManager;
    },
    logs() {
      return [jobManager, ...taskManagers.values()]
        .filter((p) => p !== undefined)
        .map((p) => p.tail(30))
        .join('\n');
    },
    async close() {
      open.delete(cluster);
      await Promise.all([...taskManagers.values()].map((tm) => tm.terminate(5000)));
      await jobManager?.terminate(5000);
      await rm(root, { recursive: true, force: true });
    },
  };
  open.add(cluster);
  jobManager = await spawnJobManager(join(root, 'jobmanager'));
  const count = options.taskManagers ?? 2;
  await Promise.all(Array.from({ length: count }, (_, i) => cluster.addTaskManager(`tm-${i + 1}`)));
  return cluster;
}

/**
 * Closes every cluster a test left open; use as `afterEach(closeAllClusters)`.
 * When the test failed, the recent output of every process goes to stderr first.
 */
export async function closeAllClusters(context?: {
  task?: { result?: { state?: string } };
}): Promise<void> {
  if (context?.task?.result?.state === 'fail') {
    for (const cluster of open) process.stderr.write(`--- cluster output ---\n${cluster.logs()}\n`);
  }
  await Promise.all([...open].map((cluster) => cluster.close()));
}
