import pg from "pg";
import { expect, it } from "vitest";
import { migrateDatabase } from "./migrate";

/** Prisma's migration lock (prisma migrate's advisory lock id). */
const PRISMA_MIGRATE_LOCK = 72707369;

it("waits for another process's migration lock instead of failing after Prisma's 10 s", async () => {
  const url = process.env.DATABASE_URL!;
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
  const output: string[] = [];
  const started = Date.now();
  const migrating = migrateDatabase(url, (line) => output.push(line));
  // Held until Prisma's own 10 s wait has run out and the retry says so: on a loaded machine the CLI may take
  // seconds just to start, so a fixed hold could end before Prisma even asks for the lock.
  const retried = () => output.some((l) => l.startsWith("another process holds the migration lock: waiting again"));
  while (!retried() && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, Math.max(0, 12_000 - (Date.now() - started))));
  await holder.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]);
  await holder.end();
  await migrating;
  expect(Date.now() - started).toBeGreaterThanOrEqual(12_000);
  expect(
    output.some((l) => l.startsWith("another process holds the migration lock: waiting again")),
    output.join("\n"),
  ).toBe(true);
}, 90_000);
