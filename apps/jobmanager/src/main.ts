/**
 * @module
 * The JobManager process: config from flags > env > defaults, serve, and
 * drain on SIGTERM/SIGINT.
 */
import { resolveServerConfig } from './config';
import { startJobManager } from './startJobManager';

let config: ReturnType<typeof resolveServerConfig>;
try {
  config = resolveServerConfig(process.argv.slice(2), process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const jobManager = await startJobManager(config);
console.log(`JobManager listening on ${jobManager.url}`);

const shutdown = (signal: string) => {
  console.log(`JobManager received ${signal}; draining`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  void jobManager.close().then(() => process.exit(0));
};
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
