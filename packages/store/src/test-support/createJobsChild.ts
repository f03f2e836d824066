/**
 * Child process of the durability test: opens the store at argv[2], creates
 * argv[3] jobs and prints `ack <jobId>` after each createJob returned, then
 * keeps writing log lines until the parent kills it with SIGKILL.
 */
import { writeSync } from 'node:fs';
import { buildJobGraph } from '@flinknet/contracts';
import { openStore } from '../openStore';
import { sampleDefinition } from './fixtures';

const [file, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!file || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: createJobsChild.ts <sqlite file> <job count>\n');
  process.exit(2);
}
const store = openStore({ file });
const definition = sampleDefinition('durable');
const jobGraph = buildJobGraph(definition);
let last = '';
for (let i = 0; i < count; i++) {
  last = crypto.randomUUID();
  store.createJob({
    jobId: last,
    definition,
    jobGraph,
    idempotency: { key: `key-${last}`, bodyHash: String(i) },
  });
  // Straight to fd 1: the ack leaves the process before the next write starts.
  writeSync(1, `ack ${last}\n`);
}
// Busy writing when the kill lands, so a torn transaction would show.
for (let i = 0; ; i++) {
  store.appendLogs([{ jobId: last, level: 'INFO', source: 'child', message: `line ${i}` }]);
}
