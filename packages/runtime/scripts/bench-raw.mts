import { createRegistry, startJob } from '../src/index';
import { deployOf, RecordingHooks } from '../src/test-support/jobFixture';
const count = 5_000_000;
for (const steps of [2, 3, 4]) {
  const middle = Array.from({ length: steps - 2 }, (_, i) => ({ name: `m${i}`, operatorType: 'Operator' as const, typeName: 'map', operatorProperties: { expression: 'value' } }));
  const deploy = deployOf({ jobName: 'raw', steps: [
    { name: 'src', operatorType: 'Source', typeName: 'sequence', operatorProperties: { count } }, ...middle,
    { name: 'out', operatorType: 'Sink', typeName: 'discard' }] });
  const t = performance.now();
  await startJob({ deploy, registry: createRegistry(), dataDir: '/tmp', restore: null, hooks: new RecordingHooks() }).done;
  console.log(steps, 'steps', (count / ((performance.now() - t) / 1000) / 1e6).toFixed(2), 'M/s');
}
