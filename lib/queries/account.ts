import { db } from "../db/client";
import { sessionLimits } from "../auth/sessions";
import { readTwoFactorPolicy, recoveryCodesLeft, twoFactorRequired } from "../auth/two-factor";
import type { Role } from "../auth/roles";

/** "Firefox on Linux", from a user agent; good enough to tell one's own devices apart. */
export function deviceLabel(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const ua = userAgent;
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : /^curl\//.test(ua) ? "curl" : /node|undici/i.test(ua) ? "a script" : "A browser";
  const os = /iPhone|iPad/.test(ua) ? "iOS" : /Android/.test(ua) ? "Android" : /Windows/.test(ua) ? "Windows" : /Mac OS X|Macintosh/.test(ua) ? "macOS" : /Linux|X11/.test(ua) ? "Linux" : null;
  return os ? `${browser} on ${os}` : browser;
}

/** The user's live sessions (newest first) and where their second factor stands, for /account. */
export async function getOwnAccount(user: { id: string; role: Role }, currentSessionId: string) {
  const limits = sessionLimits();
  const now = Date.now();
  const [rows, account, policy, codesLeft, tokens] = await Promise.all([
    db().session.findMany({
      where: { userId: user.id, endedAt: null, createdAt: { gt: new Date(now - limits.maxAgeMs) }, lastSeenAt: { gt: new Date(now - limits.idleMs) } },
      orderBy: { lastSeenAt: "desc" },
      select: { id: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
      take: 100,
    }),
    db().user.findUniqueOrThrow({ where: { id: user.id }, select: { totpEnabledAt: true } }),
    readTwoFactorPolicy(db()),
    recoveryCodesLeft(db(), user.id),
    db().apiToken.findMany({
      where: { createdById: user.id },
      orderBy: { createdAt: "desc" },
      select: { id: true, name: true, role: true, prefix: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true },
      take: 100,
    }),
  ]);
  return {
    sessions: rows.map((s) => ({
      id: s.id,
      device: deviceLabel(s.userAgent),
      userAgent: s.userAgent,
      ip: s.ip,
      createdAt: s.createdAt.getTime(),
      lastSeenAt: s.lastSeenAt.getTime(),
      current: s.id === currentSessionId,
    })),
    /** Tokens this user created (an admin's Settings lists everyone's); revoked and expired ones stay listed, marked. */
    tokens: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      role: t.role,
      prefix: t.prefix,
      createdAt: t.createdAt.getTime(),
      expiresAt: t.expiresAt?.getTime() ?? null,
      lastUsedAt: t.lastUsedAt?.getTime() ?? null,
      state: t.revokedAt ? ("revoked" as const) : t.expiresAt && t.expiresAt.getTime() <= now ? ("expired" as const) : ("active" as const),
    })),
    twoFactor: {
      enabledAt: account.totpEnabledAt?.getTime() ?? null,
      recoveryCodesLeft: codesLeft,
      required: twoFactorRequired(policy, user.role),
    },
  };
}
export type OwnAccount = Awaited<ReturnType<typeof getOwnAccount>>;
export type OwnSessionRow = OwnAccount["sessions"][number];
export type OwnTokenRow = OwnAccount["tokens"][number];
