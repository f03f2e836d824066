import { describe, expect, it } from 'vitest';
import { resolveServerConfig } from './config';

describe('resolveServerConfig', () => {
  it('uses the defaults of the design', () => {
    expect(resolveServerConfig([], {})).toEqual({
      host: '127.0.0.1',
      port: 8081,
      dataDir: '.flinknet',
      logLevel: 'info',
      auth: true,
      corsOrigins: [],
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

  it('turns auth off with --no-auth or FLINKNET_AUTH=off, and rejects another auth mode', () => {
    expect(resolveServerConfig(['--no-auth'], {}).auth).toBe(false);
    expect(resolveServerConfig([], { FLINKNET_AUTH: 'off' }).auth).toBe(false);
    expect(resolveServerConfig([], { FLINKNET_AUTH: 'on' }).auth).toBe(true);
    expect(() => resolveServerConfig([], { FLINKNET_AUTH: 'maybe' })).toThrow(/FLINKNET_AUTH/);
  });

  it('reads the CORS allow-list from flags over the environment and rejects an origin with a path', () => {
    expect(
      resolveServerConfig(
        ['--cors-origin', 'https://a.example', '--cors-origin=http://b.example:8080'],
        {
          FLINKNET_CORS_ORIGINS: 'https://ignored.example',
        },
      ).corsOrigins,
    ).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(
      resolveServerConfig([], { FLINKNET_CORS_ORIGINS: 'https://a.example, https://c.example' })
        .corsOrigins,
    ).toEqual(['https://a.example', 'https://c.example']);
    expect(() => resolveServerConfig(['--cors-origin', 'https://a.example/app'], {})).toThrow(
      /invalid CORS origin/,
    );
    expect(() => resolveServerConfig(['--cors-origin', '*'], {})).toThrow(/invalid CORS origin/);
  });
});
