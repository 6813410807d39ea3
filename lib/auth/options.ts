import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { deriveKey } from "../crypto/secretbox";
import { db } from "../db/client";
import { recordAudit } from "../audit/record";
import { log } from "../log";
import { decoyHash, verifyPassword } from "./password";
import { clearAccountFailures, lockedForMinutes, recordFailure, throttleKeys } from "./throttle";
import { requestMeta } from "./request-meta";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const SIGN_IN_FAILED = "Email or password is incorrect";

interface SessionUser extends User {
  sessionVersion: number;
}

async function authorize(credentials: Record<string, string> | undefined, headers: Record<string, string>) {
  const parsed = credentialsSchema.safeParse(credentials ?? {});
  if (!parsed.success) throw new Error("Enter your email and password");
  const { email, password } = parsed.data;
  const meta = requestMeta(headers);
  const client = db();
  const keys = throttleKeys(email, meta.ip);
  const audit = (outcome: "success" | "failure", summary: Record<string, unknown>, user?: { id: string; email: string; role: "viewer" | "deployer" | "admin" }) =>
    client.$transaction((tx) =>
      recordAudit(tx, {
        actor: user ? { kind: "user", id: user.id, email: user.email, name: null, role: user.role } : { kind: "anonymous", label: email },
        meta,
        action: "auth.signin",
        target: { type: "user", id: user?.id ?? null, name: email },
        outcome,
        summary,
      }),
    );

  const lockedMinutes = await lockedForMinutes(client, keys.map((k) => k.key));
  if (lockedMinutes !== null) {
    await audit("failure", { reason: "rate_limited" });
    throw new Error(`Too many failed sign-in attempts. Try again in ${lockedMinutes} minute${lockedMinutes === 1 ? "" : "s"}.`);
  }
  const user = await client.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || user.disabled || !passwordOk) {
    await recordFailure(client, keys);
    await audit("failure", { reason: !user ? "unknown_account" : user.disabled ? "disabled" : "wrong_password" });
    throw new Error(SIGN_IN_FAILED);
  }
  await clearAccountFailures(client, email);
  await audit("success", {}, user);
  const sessionUser: SessionUser = { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
  return sessionUser;
}

/** A function, not a constant: nothing here may read the environment while `next build` imports modules. */
export function authOptions(): NextAuthOptions {
  return {
    secret: deriveKey("nextauth-jwt").toString("base64url"),
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
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
        authorize: (credentials, req) => authorize(credentials, (req.headers ?? {}) as Record<string, string>),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = (user as SessionUser).sessionVersion;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, uid: token.uid, sv: token.sv };
      },
    },
    events: {
      async signOut({ token }) {
        const uid = typeof token?.uid === "string" ? token.uid : null;
        if (!uid) return;
        const user = await db().user.findUnique({ where: { id: uid }, select: { id: true, email: true, name: true, role: true } });
        if (!user) return;
        await db().$transaction((tx) =>
          recordAudit(tx, {
            actor: { kind: "user", ...user },
            meta: { ip: null, userAgent: null },
            action: "auth.signout",
            target: { type: "user", id: user.id, name: user.email },
            outcome: "success",
          }),
        );
      },
    },
  };
}
