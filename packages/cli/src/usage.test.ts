import { describe, expect, it } from 'vitest';
import { runCli } from '../test/runCli';

const COMMANDS = [
  'submit',
  'list',
  'status',
  'get',
  'metrics',
  'stop',
  'cancel',
  'restart',
  'scale',
  'checkpoints',
  'logs',
  'dlq',
  'taskmanagers',
  'overview',
  'watch',
];

describe('flinknet usage (built bin, no server)', () => {
  it('prints complete help with every command, the environment and exit codes', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(stdout).toContain('FLINKNET_URL');
    expect(stdout).toContain('FLINKNET_TOKEN');
    expect(stdout).toContain('Exit codes: 0 success, 1 API or network error, 2 usage error.');
  });

  it.each([
    [
      ['submit', '--help'],
      ['--wait [states]', '--idempotency-key', '<file>'],
    ],
    [
      ['scale', '--help'],
      ['--parallelism <n>', '--operator <name>'],
    ],
    [['restart', '--help'], ['--checkpoint <id>']],
    [
      ['logs', '--help'],
      ['--follow', '--level <level>'],
    ],
    [['checkpoints', '--help'], ['--trigger']],
    [
      ['dlq', '--help'],
      ['list', 'show', 'edit', 'resubmit'],
    ],
    [
      ['dlq', 'edit', '--help'],
      ['--payload <json>', '--file <path>'],
    ],
    [['watch', '--help'], ['--interval <ms>']],
  ])('documents the options of %j', async (args, expected) => {
    const { code, stdout } = await runCli(args);
    expect(code).toBe(0);
    for (const text of expected) expect(stdout).toContain(text);
  });

  it('exits 2 with one line on stderr for an unknown command', async () => {
    const { code, stderr, stdout } = await runCli(['frobnicate']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });

  it('exits 2 when a required option is missing or malformed', async () => {
    const missing = await runCli(['scale', '3f2b8c1e-7a4d-4e2a-9c1b-5d6e7f8a9b0c']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe("error: required option '--parallelism <n>' not specified");
    const malformed = await runCli(['scale', 'x', '--parallelism', 'many']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('expected a positive integer, got "many"');
    const state = await runCli(['list', '--status', 'RUNING']);
    expect(state.code).toBe(2);
    expect(state.stderr).toContain('unknown job state "RUNING"');
  });

  it('exits 2 when the job file is missing or not JSON', async () => {
    const missing = await runCli(['submit', 'does-not-exist.json']);
    expect(missing).toMatchObject({
      code: 2,
      stderr: 'error: cannot read does-not-exist.json: ENOENT\n',
    });
    const notJson = await runCli(['submit', '-'], { stdin: '{ nope' });
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^error: - is not valid JSON: /);
  });

  it('exits 2 for a URL that is not http(s)', async () => {
    const { code, stderr } = await runCli(['list', '--url', 'ftp://example']);
    expect(code).toBe(2);
    expect(stderr).toBe('error: baseUrl must use http or https, got ftp:\n');
  });

  it('exits 1 with a network error when nothing listens at the URL', async () => {
    const { code, stderr } = await runCli(['taskmanagers', '--timeout', '5000'], {
      env: { FLINKNET_URL: 'http://127.0.0.1:9' },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^error: GET http:\/\/127\.0\.0\.1:9\/api\/jobmanager\/taskmanagers failed: /,
    );
  });
});
