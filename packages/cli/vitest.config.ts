import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    globalSetup: ['./test/buildCli.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
