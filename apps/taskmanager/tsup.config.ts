import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base';

// An app, not a library: ESM only, with the bin as its own entry.
export default defineConfig({
  ...baseConfig,
  entry: ['src/index.ts', 'src/main.ts'],
  format: ['esm'],
  dts: false,
});
