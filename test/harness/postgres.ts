import { randomBytes } from "node:crypto";
import pg from "pg";
import { withDatabase } from "../../lib/db/url";

export const TEMPLATE_DB = "deckhand_test_template";

/** The Postgres the test run uses (the runner sets it: embedded, or the caller's DATABASE_URL). */
export function testAdminUrl(): string {
  const url = process.env.DECKHAND_TEST_ADMIN_URL;
  if (!url) throw new Error("DECKHAND_TEST_ADMIN_URL is not set: run tests with `npm test`");
  return url;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, fully migrated database cloned from the template (tens of milliseconds). */
export async function createTestDatabase(prefix = "t"): Promise<string> {
  const name = `deckhand_${prefix}_${randomBytes(5).toString("hex")}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB}"`));
  return withDatabase(testAdminUrl(), name);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
