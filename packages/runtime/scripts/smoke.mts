import { createRegistry, startJob } from '../src/index';
import { deployOf, RecordingHooks, tempDir, committedRecords, sumPerKey } from '../src/test-support/jobFixture';
const dir = await tempDir();
const hooks = new RecordingHooks();
const deploy = deployOf({ jobName: 'smoke', steps: [
  { name: 'src', operatorType: 'Source', typeName: 'sequence', parallelism: 2, operatorProperties: { count: 100000, keys: 10 } },
  { name: 'kb', operatorType: 'Operator', typeName: 'key-by', outputKeying: { serializedKeySelector: 'field:key' } },
  { name: 'win', operatorType: 'Operator', typeName: 'window-aggregate', parallelism: 3, windowing: { assignerType: 'TumblingProcessingTime', sizeMs: 50 }, operatorProperties: { aggregate: 'count' } },
  { name: 'out', operatorType: 'Sink', typeName: 'file', operatorProperties: { path: 'out' } } ] });
console.log(deploy.jobGraph.edges);
const t0 = performance.now();
const ex = startJob({ deploy, registry: createRegistry(), dataDir: dir.path, restore: null, hooks });
ex.triggerCheckpoint(1, 'CHECKPOINT', Date.now());
await ex.done;
console.log('ms', performance.now() - t0, hooks.finalStates(), hooks.acks.length, hooks.declines, hooks.dlq.length);
console.log(hooks.logs.filter(l => l.level !== 'INFO').slice(0, 5));
const recs = await committedRecords(dir.path + '/out');
console.log(recs.length, [...sumPerKey(recs)]);
console.log(ex.reports().map(r => JSON.stringify(r.metrics)));
await dir.remove();
