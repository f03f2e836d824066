import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base';

// An app, not a library: ESM only, with the bin as its own entry. Workspace
// packages export TypeScript sources, so they are bundled.
export default defineConfig({
  ...baseConfig,
  entry: ['src/index.ts', 'src/main.ts'],
  format: ['esm'],
  dts: false,
  noExternal: [/^@flinknet\//],
});
