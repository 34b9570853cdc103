/** drizzle-kit configuration: `npx drizzle-kit generate` writes migrations for `db/schema.ts` into `db/migrations/`. */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  schema: './db/schema.ts',
  out: './db/migrations',
  dialect: 'postgresql',
});
