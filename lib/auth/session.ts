import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "../db/client";
import { authenticateToken } from "./tokens";
import { authOptions } from "./options";
import type { Principal } from "./roles";

interface DeckhandSession {
  uid?: unknown;
  sv?: unknown;
}

/**
 * The signed-in user, re-read from the database on every request: a disabled user, or a session issued
 * before a password or role change (older sessionVersion), is no session at all.
 */
export async function getSessionPrincipal(): Promise<Principal | null> {
  const session = (await getServerSession(authOptions())) as DeckhandSession | null;
  if (!session || typeof session.uid !== "string" || typeof session.sv !== "number") return null;
  const user = await db().user.findUnique({ where: { id: session.uid } });
  if (!user || user.disabled || user.sessionVersion !== session.sv) return null;
  return { kind: "user", id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Bearer token first (API clients), then the browser session. */
export async function getRequestPrincipal(): Promise<Principal | null> {
  const auth = (await headers()).get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return authenticateToken(db(), auth.slice(7).trim());
  return getSessionPrincipal();
}

/** For pages: the signed-in user, or a redirect to sign-in (or to setup when nobody exists yet). */
export async function requireUser(): Promise<Extract<Principal, { kind: "user" }>> {
  const principal = await getSessionPrincipal();
  if (principal?.kind === "user") return principal;
  if ((await db().user.count()) === 0) redirect("/setup");
  redirect("/login");
}
