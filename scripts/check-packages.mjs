#!/usr/bin/env node
// Packs every publishable package the way `pnpm publish` would (publishConfig
// applied) and checks the tarball with publint and arethetypeswrong.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packages = readdirSync(join(root, 'packages'));
let failed = 0;
for (const name of packages) {
  const dir = join(root, 'packages', name);
  const out = mkdtempSync(join(tmpdir(), `flinknet-pack-${name}-`));
  try {
    execFileSync('pnpm', ['run', 'build'], { cwd: dir, stdio: 'ignore' });
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: 'ignore' });
    const tarball = join(out, readdirSync(out)[0]);
    execFileSync('pnpm', ['exec', 'publint', 'run', tarball, '--strict'], {
      cwd: dir,
      stdio: 'inherit',
    });
    execFileSync('pnpm', ['exec', 'attw', tarball, '--profile', 'node16'], {
      cwd: dir,
      stdio: 'inherit',
    });
    console.log(`ok ${name}`);
  } catch {
    failed++;
    console.error(`FAILED ${name}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
