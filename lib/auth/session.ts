import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "../db/client";
import { authenticateToken } from "./tokens";
import { authOptions } from "./options";
import { requestMeta } from "./request-meta";
import { loadLiveSession } from "./sessions";
import { sessionStage, type SessionStage } from "./two-factor";
import type { Principal } from "./roles";

export type UserPrincipal = Extract<Principal, { kind: "user" }>;

interface DeckhandSession {
  uid?: unknown;
  sv?: unknown;
  sid?: unknown;
}

export interface SessionContext {
  principal: UserPrincipal;
  sessionId: string;
  stage: SessionStage;
  twoFactorEnabled: boolean;
}

/**
 * The browser's session, checked against its record on every request (lib/auth/sessions.ts): signed out,
 * ended elsewhere, past its lifetime or idle limit, a disabled user, or a sessionVersion older than the user's
 * (a password or role change) is no session at all. `stage` says whether it still owes a second factor.
 */
export async function getSessionContext(): Promise<SessionContext | null> {
  const session = (await getServerSession(authOptions())) as DeckhandSession | null;
  if (!session || typeof session.uid !== "string" || typeof session.sv !== "number" || typeof session.sid !== "string") return null;
  const live = await loadLiveSession(db(), { uid: session.uid, sv: session.sv, sid: session.sid });
  if (!live) return null;
  const { user } = live;
  return {
    principal: { kind: "user", id: user.id, email: user.email, name: user.name, role: user.role },
    sessionId: live.id,
    stage: await sessionStage(db(), live),
    twoFactorEnabled: user.twoFactorEnabled,
  };
}

/** The signed-in user, only once every step of sign-in is done. */
export async function getSessionPrincipal(): Promise<Principal | null> {
  const context = await getSessionContext();
  return context?.stage === "active" ? context.principal : null;
}

/** Bearer token first (API clients), then the browser session. */
export async function getRequestPrincipal(): Promise<Principal | null> {
  const h = await headers();
  const auth = h.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return authenticateToken(db(), auth.slice(7).trim(), requestMeta(h).ip);
  return getSessionPrincipal();
}

/**
 * For pages: the signed-in session, or a redirect: to sign-in (which also asks for a code owed, or leads
 * through a required enrolment before anything else), or to setup when nobody exists yet.
 */
export async function requireSession(): Promise<SessionContext> {
  const context = await getSessionContext();
  if (context?.stage === "active") return context;
  if (!context && (await db().user.count()) === 0) redirect("/setup");
  // Back to the page asked for once signed in (the login page keeps only a path on this origin).
  const asked = (await headers()).get("x-deckhand-path");
  redirect(asked && asked !== "/" && asked.startsWith("/") ? `/login?callbackUrl=${encodeURIComponent(asked)}` : "/login");
}

export async function requireUser(): Promise<UserPrincipal> {
  return (await requireSession()).principal;
}
