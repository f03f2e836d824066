import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @flinknet/store exec drizzle-kit generate --name <change>` writes drizzle/NNNN_<change>.sql.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/schema.ts',
  out: './drizzle',
});
