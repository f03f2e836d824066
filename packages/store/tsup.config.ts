import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base';

// shims: the CJS build needs import.meta.url to find drizzle/ next to dist/.
export default defineConfig({ ...baseConfig, entry: ['src/index.ts'], shims: true });
