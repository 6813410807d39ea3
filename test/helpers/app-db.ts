import { randomBytes } from "node:crypto";
import { createDbClient, type Db } from "../../lib/db/client";
import { hashPassword } from "../../lib/auth/password";
import type { Role } from "../../lib/auth/roles";

/** The database of the app instance the runner started for API tests (not this file's own database). */
let client: Db | undefined;
export function appDb(): Db {
  const url = process.env.DECKHAND_TEST_APP_DATABASE_URL;
  if (!url) throw new Error("DECKHAND_TEST_APP_DATABASE_URL is not set: run tests with `npm test`");
  client ??= createDbClient(url, 4);
  return client;
}

export async function makeUser(role: Role, password = "correct horse battery") {
  const email = `${role}-${randomBytes(4).toString("hex")}@example.test`;
  const user = await appDb().user.create({ data: { email, role, passwordHash: await hashPassword(password) }, select: { id: true, email: true } });
  return { ...user, password, role };
}
