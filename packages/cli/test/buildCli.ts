/**
 * Vitest global setup: the CLI tests run the built bin, so build it first.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  execFileSync('pnpm', ['exec', 'tsup'], {
    cwd: resolve(import.meta.dirname, '..'),
    stdio: 'pipe',
  });
}
