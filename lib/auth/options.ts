import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { deriveKey } from "../crypto/secretbox";
import { db } from "../db/client";
import { env } from "../env";
import { recordAudit, type RequestMeta } from "../audit/record";
import { log } from "../log";
import { sameOriginUrl } from "./redirect";
import { endSession, sessionLimits } from "./sessions";
import { authorizeCredentials, type SessionUser } from "./signin";

export { SIGN_IN_FAILED } from "./signin";

/** The address people open: DECKHAND_PUBLIC_URL, else NEXTAUTH_URL, else this machine's port. */
export function publicUrl(): string {
  const e = env();
  return e.DECKHAND_PUBLIC_URL ?? e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`;
}

/**
 * Ends the token's session record and writes `auth.signout`: next-auth's sign-out event (no request at hand)
 * and the sign-out form (which passes the request's address and browser).
 */
export async function recordSignOut(token: Record<string, unknown> | null | undefined, meta: RequestMeta = { ip: null, userAgent: null }): Promise<void> {
  const uid = typeof token?.uid === "string" ? token.uid : null;
  const sid = typeof token?.sid === "string" ? token.sid : null;
  if (!uid) return;
  const ended = sid ? await endSession(db(), sid, "signout") : false;
  const user = await db().user.findUnique({ where: { id: uid }, select: { id: true, email: true, name: true, role: true } });
  if (!user) return;
  await db().$transaction((tx) =>
    recordAudit(tx, {
      actor: { kind: "user", ...user },
      meta,
      action: "auth.signout",
      target: { type: "user", id: user.id, name: user.email },
      outcome: "success",
      summary: { sessionEnded: ended },
    }),
  );
}

/** A function, not a constant: nothing here may read the environment while `next build` imports modules. */
export function authOptions(): NextAuthOptions {
  return {
    secret: deriveKey("nextauth-jwt").toString("base64url"),
    // The cookie lives as long as a session may; the session record (lib/auth/sessions.ts) decides each request.
    session: { strategy: "jwt", maxAge: Math.max(60, Math.ceil(sessionLimits().maxAgeMs / 1000)) },
    useSecureCookies: publicUrl().startsWith("https://"),
    pages: { signIn: "/login" },
    logger: {
      error: (code, metadata) => log.error({ code, metadata }, "next-auth error"),
      warn: (code) => log.warn({ code }, "next-auth warning"),
      debug: () => undefined,
    },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, req) => authorizeCredentials(credentials, (req.headers ?? {}) as Record<string, string>),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = (user as SessionUser).sessionVersion;
          token.sid = (user as SessionUser).sessionId;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, uid: token.uid, sv: token.sv, sid: token.sid };
      },
      redirect({ url, baseUrl }) {
        return sameOriginUrl(url, baseUrl);
      },
    },
    events: {
      signOut: ({ token }) => recordSignOut(token),
    },
  };
}
