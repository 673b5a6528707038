import { afterAll, afterEach, beforeEach } from 'vitest';
import { closePgAdmin, dropPgStores, openPgStores, type PgStore } from './pg.js';

/**
 * setupFiles of the `postgres` project: the databases a test opened are dropped after it, those a
 * file opened in beforeAll after the file, so a run leaves no database behind on the server.
 */
let before = new Set<PgStore>();
beforeEach(() => {
  before = new Set(openPgStores());
});
afterEach(async () => {
  await dropPgStores((s) => !before.has(s));
});
afterAll(async () => {
  await dropPgStores();
  await closePgAdmin();
});
