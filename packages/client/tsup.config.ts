import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base';

// ky is ESM-only: the CJS build bundles it so that plain require() works on
// every Node >= 20; the ESM build keeps it a shared dependency.
export default defineConfig([
  { ...baseConfig, entry: ['src/index.ts'], format: ['esm'] },
  { ...baseConfig, entry: ['src/index.ts'], format: ['cjs'], noExternal: ['ky'], clean: false },
]);
