/**
 * Throughput of sequence -> map -> filter -> discard on one subtask each:
 * `node --import tsx scripts/bench.mts [count]`.
 */
import { createRegistry, startJob } from '../src/index';
import { deployOf, RecordingHooks, tempDir } from '../src/test-support/jobFixture';

const count = Number(process.argv[2] ?? 5_000_000);
const map = process.argv[3] ?? '{"seq": value.seq, "key": value.key, "double": value.seq * 2}';
const filter = process.argv[4] ?? 'value.seq % 2 == 0';
const dir = await tempDir();
const hooks = new RecordingHooks();
const deploy = deployOf({
  jobName: 'bench',
  steps: [
    {
      name: 'src',
      operatorType: 'Source',
      typeName: 'sequence',
      operatorProperties: { count, keys: 100 },
    },
    {
      name: 'map',
      operatorType: 'Operator',
      typeName: 'map',
      operatorProperties: { expression: map },
    },
    {
      name: 'filter',
      operatorType: 'Operator',
      typeName: 'filter',
      operatorProperties: { expression: filter },
    },
    { name: 'out', operatorType: 'Sink', typeName: 'discard' },
  ],
});
const started = performance.now();
const cpuStarted = process.cpuUsage();
const execution = startJob({
  deploy,
  registry: createRegistry(),
  dataDir: dir.path,
  restore: null,
  hooks,
});
await execution.done;
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const failed = hooks.states.filter((s) => s.state === 'FAILED');
if (failed.length > 0) throw new Error(`job failed: ${failed[0]!.error}`);
console.log(
  `${count} records in ${seconds.toFixed(2)} s: ${(count / seconds / 1e6).toFixed(2)} M records/s wall, ` +
    `${(count / cpuSeconds / 1e6).toFixed(2)} M records/s per CPU second (${cpuSeconds.toFixed(2)} s CPU, GC included)`,
);
console.log(`map: ${map}\nfilter: ${filter}`);
await dir.remove();
