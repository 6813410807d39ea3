// Runs before every test file: each file gets its own migrated database, so files never see each other's rows.
import { afterAll } from "vitest";
import { createTestDatabase, dropTestDatabase } from "./harness/postgres";

const url = await createTestDatabase();
process.env.DATABASE_URL = url;

afterAll(async () => {
  const { db } = await import("../lib/db/client");
  await db().$disconnect();
  await dropTestDatabase(url);
});
