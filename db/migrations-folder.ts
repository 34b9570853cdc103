/**
 * Where drizzle-kit writes migrations (`drizzle.config.ts`), resolved from this file rather than the working
 * directory, so the store opens from any cwd.
 * @internal
 */
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
