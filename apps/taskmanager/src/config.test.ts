import { describe, expect, it } from 'vitest';
import { parseConfig, UsageError } from './config';

describe('parseConfig', () => {
  it('uses the defaults when nothing is given', () => {
    const config = parseConfig([], {}, '/srv');
    expect(config).toEqual({
      jobManagerUrl: 'http://127.0.0.1:8081',
      token: undefined,
      slots: 4,
      plugins: [],
      dataDir: '/srv/.flinknet/taskmanager-data',
      id: undefined,
    });
  });

  it('takes environment variables over defaults', () => {
    const config = parseConfig(
      [],
      {
        FLINKNET_URL: 'http://10.0.0.1:9000/',
        FLINKNET_TOKEN: 'secret',
        FLINKNET_SLOTS: '8',
        FLINKNET_DATA_DIR: 'data',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      jobManagerUrl: 'http://10.0.0.1:9000',
      token: 'secret',
      slots: 8,
      dataDir: '/srv/data',
    });
  });

  it('takes flags over environment variables', () => {
    const config = parseConfig(
      [
        '--jobmanager',
        'http://127.0.0.1:1234',
        '--token',
        'flag',
        '--slots',
        '2',
        '--data-dir',
        '/d',
        '--id',
        'tm-1',
      ],
      {
        FLINKNET_URL: 'http://10.0.0.1:9000',
        FLINKNET_TOKEN: 'env',
        FLINKNET_SLOTS: '8',
        FLINKNET_DATA_DIR: '/e',
      },
    );
    expect(config).toEqual({
      jobManagerUrl: 'http://127.0.0.1:1234',
      token: 'flag',
      slots: 2,
      plugins: [],
      dataDir: '/d',
      id: 'tm-1',
    });
  });

  it('collects repeated --plugin flags as absolute paths', () => {
    const config = parseConfig(['--plugin', './a.js', '--plugin', '/opt/b.js'], {}, '/srv');
    expect(config.plugins).toEqual(['/srv/a.js', '/opt/b.js']);
  });

  it.each([
    [['--slots', '0'], /--slots must be an integer from 1 to 1024, got "0"/],
    [['--slots', 'four'], /--slots must be an integer/],
    [['--slots', '1.5'], /--slots must be an integer/],
    [['--jobmanager', 'not a url'], /--jobmanager must be an http\(s\) URL/],
    [['--jobmanager', 'ftp://host'], /--jobmanager must be an http\(s\) URL/],
    [['--id', 'has space'], /--id must be/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['positional'], /positional/],
  ])('rejects %j with a UsageError', (argv, message) => {
    expect(() => parseConfig(argv, {})).toThrow(UsageError);
    expect(() => parseConfig(argv, {})).toThrow(message);
  });

  it('rejects a bad FLINKNET_SLOTS like a bad flag', () => {
    expect(() => parseConfig([], { FLINKNET_SLOTS: '-1' })).toThrow(/--slots must be an integer/);
  });
});

describe('parseConfig with empty variables', () => {
  it('treats an empty environment variable as unset', () => {
    expect(parseConfig([], { FLINKNET_URL: '', FLINKNET_SLOTS: '' }, '/srv')).toMatchObject({
      jobManagerUrl: 'http://127.0.0.1:8081',
      slots: 4,
    });
  });
});
