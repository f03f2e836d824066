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
if (!config.auth) {
  console.error(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '!!  WARNING: AUTHENTICATION IS OFF (--no-auth / FLINKNET_AUTH=off).     !!',
      '!!  Anyone who can reach this port can submit, cancel and read jobs.    !!',
      '!!  Allowed only on a loopback host; never use this in production.      !!',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
}
let jobManager: Awaited<ReturnType<typeof startJobManager>>;
try {
  jobManager = await startJobManager({
    host: config.host,
    port: config.port,
    dataDir: config.dataDir,
    logLevel: config.logLevel,
    auth: { enabled: config.auth },
    corsOrigins: config.corsOrigins,
  });
} catch (error) {
  console.error(`JobManager failed to start: ${(error as Error).message}`);
  process.exit(2);
}
// Printed once, on the first start only; the token file (mode 0600) keeps it. Written before the listening line,
// which launchers wait for before reading the file.
if (jobManager.adminToken?.secret)
  console.log(
    `Admin token (shown once; also in ${jobManager.adminToken.file}): ${jobManager.adminToken.secret}`,
  );
console.log(`JobManager listening on ${jobManager.url}`);

const shutdown = (signal: string) => {
  console.log(`JobManager received ${signal}; draining`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  void jobManager.close().then(() => process.exit(0));
};
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
