import { defineProject } from 'vitest/config';

// Real JobManager/TaskManager processes start in some suites: generous hooks.
export default defineProject({
  test: { name: 'client', testTimeout: 30_000, hookTimeout: 90_000 },
});
