import { defineConfig } from 'drizzle-kit';

// `npm run generate-migrations -w @sp01/load-postgres` (or `npx drizzle-kit generate` in this
// folder) diffs src/schema.ts against migrations/meta and writes the next migration.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './migrations',
});
