/**
 * Security of the JobManager as a process: the admin token bootstrap on a
 * first start, auth off only on loopback (with a loud warning).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@flinknet/store';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startJobManager } from '../src/startJobManager';
import { removeDir, waitFor } from '../src/testing/fixtures';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flinknet-jm-sec-'));
  dirs.push(dir);
  return dir;
}

/** Spawns main.ts; collects stdout and stderr; resolves its exit code on `exited`. */
function spawnMain(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, '--port', '0', '--log-level', 'warn', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => {
    out.stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    out.stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const listening = () =>
    waitFor(
      () => /JobManager listening on (http:\/\/[^\s]+)/.exec(out.stdout)?.[1],
      'the listening line',
      20_000,
    );
  return { child, out, exited, listening };
}

describe('admin token bootstrap', { timeout: 60_000 }, () => {
  it('prints the admin token once on a first start, writes it with mode 0600, and reuses it on the next start', async () => {
    const dataDir = tempDir();
    const first = spawnMain(['--data-dir', dataDir]);
    const url = await first.listening();
    const file = join(dataDir, 'admin.token');
    const secret = readFileSync(file, 'utf8').trim();
    expect(secret).toMatch(/^fnk_/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const printed = first.out.stdout.indexOf(
      `Admin token (shown once; also in ${file}): ${secret}`,
    );
    expect(printed).toBeGreaterThanOrEqual(0);
    expect(printed).toBeLessThan(first.out.stdout.indexOf('JobManager listening'));
    expect(first.out.stdout.split(secret).length - 1).toBe(1);
    expect(first.out.stderr).not.toContain(secret);

    expect((await fetch(`${url}/api/jobmanager/jobs`)).status).toBe(401);
    const authed = await fetch(`${url}/api/jobmanager/jobs`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(authed.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = spawnMain(['--data-dir', dataDir]);
    const url2 = await second.listening();
    expect(second.out.stdout).not.toContain('Admin token');
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    const again = await fetch(`${url2}/api/jobmanager/jobs`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const store = openStore({ file: join(dataDir, 'flinknet.db') });
    expect(store.countTokens()).toBe(1);
    store.close();
  });
});

describe('auth off', { timeout: 60_000 }, () => {
  it('refuses to start without auth on a non-loopback host', async () => {
    const dataDir = tempDir();
    const proc = spawnMain(['--data-dir', dataDir, '--host', '0.0.0.0', '--no-auth']);
    expect(await proc.exited).toBe(2);
    expect(proc.out.stderr).toMatch(/refusing to start without authentication on 0\.0\.0\.0/);
    await expect(
      startJobManager({
        host: '::',
        port: 0,
        dataDir,
        auth: { enabled: false },
        logger: pino({ level: 'silent' }),
      }),
    ).rejects.toThrow(/loopback/);
  });

  it('runs on loopback with FLINKNET_AUTH=off after a loud warning, writing no token', async () => {
    const dataDir = tempDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, '--port', '0', '--data-dir', dataDir],
      {
        env: { ...process.env, FLINKNET_AUTH: 'off' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const url = await waitFor(
      () => /JobManager listening on (http:\/\/[^\s]+)/.exec(stdout)?.[1],
      'listening',
      20_000,
    );
    expect(stderr).toContain('WARNING: AUTHENTICATION IS OFF');
    expect((await fetch(`${url}/api/jobmanager/jobs`)).status).toBe(200);
    expect(existsSync(join(dataDir, 'admin.token'))).toBe(false);
  });
});
