/**
 * @module
 * @flinknet/cli as a library: build or run the `flinknet` program in-process.
 */
export { createProgram, run, VERSION } from './cli';
export { resolveConnection, tokenFilePath, DEFAULT_URL } from './config';
export { EXIT_API, EXIT_OK, EXIT_USAGE, UsageError } from './errors';
export { processIo } from './io';
export type { Connection, ConnectionFlags } from './config';
export type { Io, OutputStream } from './io';
