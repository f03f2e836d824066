import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base';

// An app, not a library: ESM only. Workspace packages export TypeScript
// sources, so they are bundled; npm dependencies (better-sqlite3's native
// addon among them) stay external.
export default defineConfig({
  ...baseConfig,
  entry: ['src/index.ts', 'src/main.ts'],
  format: ['esm'],
  dts: false,
  noExternal: [/^@flinknet\//],
  external: ['better-sqlite3'],
});
