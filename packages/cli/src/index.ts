/**
 * @module
 * @flinknet/cli as a library: build or run the `flinknet` program in-process.
 */
export { createProgram, run, VERSION } from './cli';
export type { Connection, ConnectionFlags } from './config';
export { DEFAULT_URL, resolveConnection, tokenFilePath } from './config';
export { EXIT_API, EXIT_OK, EXIT_USAGE, UsageError } from './errors';
export type { Io, OutputStream } from './io';
export { processIo } from './io';
