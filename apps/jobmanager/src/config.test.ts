import { describe, expect, it } from 'vitest';
import { resolveServerConfig } from './config';

describe('resolveServerConfig', () => {
  it('uses the defaults of the design', () => {
    expect(resolveServerConfig([], {})).toEqual({
      host: '127.0.0.1',
      port: 8081,
      dataDir: '.flinknet',
      logLevel: 'info',
    });
  });

  it('lets flags override the environment', () => {
    const config = resolveServerConfig(['--port', '0', '--data-dir=/tmp/x'], {
      FLINKNET_PORT: '9000',
      FLINKNET_HOST: '0.0.0.0',
    });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 0, dataDir: '/tmp/x' });
  });

  it('rejects an unknown flag and a bad port with the usage line', () => {
    expect(() => resolveServerConfig(['--nope'], {})).toThrow(/usage/);
    expect(() => resolveServerConfig([], { FLINKNET_PORT: 'x' })).toThrow(/invalid port "x"/);
  });
});
