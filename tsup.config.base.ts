import type { Options } from 'tsup';

/** Shared tsup options: every publishable package ships ESM + CJS with per-format types. */
export const baseConfig = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
  treeshake: true,
} satisfies Options;
