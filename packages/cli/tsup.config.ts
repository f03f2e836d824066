import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base';

export default defineConfig([
  { ...baseConfig, entry: ['src/index.ts'] },
  {
    // The executable: one ESM file that runs with plain `node` from the
    // workspace too, where @flinknet/* export TypeScript sources.
    ...baseConfig,
    entry: ['src/bin.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    sourcemap: false,
    noExternal: [/^@flinknet\//, 'ky', 'eventsource-parser', 'zod'],
  },
]);
