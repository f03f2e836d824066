import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

function run(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FLINKNET_URL: '', FLINKNET_SLOTS: '', FLINKNET_TOKEN: '' },
    timeout: 30_000,
  });
}

describe('flinknet-taskmanager', () => {
  it('prints one error line and exits 2 on a bad flag value', () => {
    const result = run(['--slots', 'zero']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'error: --slots must be an integer from 1 to 1024, got "zero" (see --help)',
    ]);
  });

  it('prints one error line and exits 2 on an unknown flag', () => {
    const result = run(['--jobmanger', 'http://127.0.0.1:1']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: Unknown option '--jobmanger'/);
  });

  it('exits 1 with the cause when a plugin cannot be loaded', () => {
    const result = run(['--plugin', '/nonexistent/ops.js', '--jobmanager', 'http://127.0.0.1:9']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^error: the TaskManager could not start: cannot load plugin \/nonexistent\/ops\.js/,
    );
  });

  it('prints usage and exits 0 with --help', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: flinknet-taskmanager /);
  });
});
