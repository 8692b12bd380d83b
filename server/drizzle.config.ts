import { defineConfig } from 'drizzle-kit';

/** `pnpm --filter @graphwright/server db:generate` writes a migration for each schema change. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
