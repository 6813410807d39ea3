import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Inbound push webhooks (issue 15): who sent a delivery, whether it is signed with the app's secret, and what
 * it asks for. Every comparison is constant-time (timingSafeEqual on equal-length buffers).
 *   github   X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>   X-GitHub-Delivery, X-GitHub-Event
 *   gitea    X-Gitea-Signature: <hex HMAC-SHA256 of the body>            X-Gitea-Delivery, X-Gitea-Event (Forgejo too)
 *   gitlab   X-Gitlab-Token: <the secret itself>                          X-Gitlab-Event-UUID, X-Gitlab-Event
 *   generic  X-Deckhand-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">, X-Deckhand-Timestamp (Unix
 *            seconds, refused when more than 5 minutes from the clock), X-Deckhand-Delivery, X-Deckhand-Event (push)
 */
export type PushProvider = "github" | "gitea" | "gitlab" | "generic";

export const GENERIC_TOLERANCE_SECONDS = 300;

type HeaderGet = (name: string) => string | null;

/** Gitea also sends X-Hub-Signature-256 (and X-GitHub-Event), so its own header is looked for first. */
export function detectProvider(get: HeaderGet): PushProvider | null {
  if (get("x-gitea-signature") !== null) return "gitea";
  if (get("x-hub-signature-256") !== null) return "github";
  if (get("x-gitlab-token") !== null) return "gitlab";
  if (get("x-deckhand-signature") !== null) return "generic";
  return null;
}

function sameBytes(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function hmacHex(secret: string, data: string): string {
  return createHmac("sha256", secret).update(data).digest("hex");
}

/** The generic form's signature header for a body sent at `timestamp` (what a sender computes). */
export function genericSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${hmacHex(secret, `${timestamp}.${body}`)}`;
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

export function verifyPushSignature(provider: PushProvider, secret: string, get: HeaderGet, body: string, now = Date.now()): SignatureVerdict {
  const bad = (reason: string): SignatureVerdict => ({ ok: false, reason });
  switch (provider) {
    case "github":
      return sameBytes(get("x-hub-signature-256")!.trim().toLowerCase(), `sha256=${hmacHex(secret, body)}`) ? { ok: true } : bad("X-Hub-Signature-256 does not match the body signed with this webhook's secret");
    case "gitea":
      return sameBytes(get("x-gitea-signature")!.trim().toLowerCase(), hmacHex(secret, body)) ? { ok: true } : bad("X-Gitea-Signature does not match the body signed with this webhook's secret");
    case "gitlab": {
      // The token is the secret itself: compared as digests, so lengths are equal and nothing leaks by timing.
      const digest = (s: string) => createHash("sha256").update(s).digest("hex");
      return sameBytes(digest(get("x-gitlab-token")!), digest(secret)) ? { ok: true } : bad("X-Gitlab-Token is not this webhook's secret");
    }
    case "generic": {
      const ts = get("x-deckhand-timestamp")?.trim() ?? "";
      if (!/^\d{1,12}$/.test(ts)) return bad("X-Deckhand-Timestamp is missing or not Unix seconds");
      if (Math.abs(now / 1000 - Number(ts)) > GENERIC_TOLERANCE_SECONDS) return bad("X-Deckhand-Timestamp is more than 5 minutes from Deckhand's clock (a stale or replayed delivery)");
      return sameBytes(get("x-deckhand-signature")!.trim().toLowerCase(), genericSignature(secret, Number(ts), body)) ? { ok: true } : bad('X-Deckhand-Signature does not match sha256=HMAC(secret, "<timestamp>.<body>")');
    }
  }
}

const DELIVERY_HEADER: Record<PushProvider, string> = { github: "x-github-delivery", gitea: "x-gitea-delivery", gitlab: "x-gitlab-event-uuid", generic: "x-deckhand-delivery" };

export function deliveryHeaderOf(provider: PushProvider): string {
  return DELIVERY_HEADER[provider];
}

/** The provider's delivery id (the replay guard's key), or null when it sent none or an unusable one. */
export function deliveryIdOf(provider: PushProvider, get: HeaderGet): string | null {
  const id = get(DELIVERY_HEADER[provider])?.trim() ?? "";
  return /^[\w.:-]{1,200}$/.test(id) ? id : null;
}

/** What a verified delivery asks: a push of `ref` whose new head is `sha`, or a reason it deploys nothing. */
export type PushRequest = { kind: "push"; ref: string; sha: string } | { kind: "ignored"; reason: string };

const ZERO_SHA = /^0{40}$/;
const SHA = /^[0-9a-f]{40}$/;

function eventOf(provider: PushProvider, get: HeaderGet): string {
  switch (provider) {
    case "github":
      return get("x-github-event") ?? "";
    case "gitea":
      return get("x-gitea-event") ?? get("x-github-event") ?? "";
    case "gitlab":
      return get("x-gitlab-event") ?? "";
    case "generic":
      return get("x-deckhand-event") ?? "push";
  }
}

const PUSH_EVENTS: Record<PushProvider, string[]> = { github: ["push"], gitea: ["push"], gitlab: ["Push Hook", "Tag Push Hook"], generic: ["push"] };

export function readPushRequest(provider: PushProvider, get: HeaderGet, payload: unknown): PushRequest {
  const event = eventOf(provider, get);
  if (!PUSH_EVENTS[provider].includes(event)) return { kind: "ignored", reason: `${JSON.stringify(event.slice(0, 60))} events deploy nothing (only pushes do)` };
  const p = (payload && typeof payload === "object" ? payload : {}) as Record<string, unknown>;
  const ref = typeof p.ref === "string" ? p.ref : "";
  if (!/^refs\/(heads|tags)\/[^\s]{1,200}$/.test(ref)) return { kind: "ignored", reason: "the payload names no branch or tag (ref)" };
  const after = typeof p.after === "string" ? p.after.toLowerCase() : "";
  if (p.deleted === true || ZERO_SHA.test(after)) return { kind: "ignored", reason: `${ref} was deleted` };
  // GitLab's tag pushes name the tag object in `after` and the commit in `checkout_sha`.
  const checkout = provider === "gitlab" && typeof p.checkout_sha === "string" ? p.checkout_sha.toLowerCase() : "";
  const sha = SHA.test(checkout) ? checkout : after;
  if (!SHA.test(sha)) return { kind: "ignored", reason: "the payload names no commit (after)" };
  return { kind: "push", ref, sha };
}

/** `*` is any run of characters but `/`, `?` one such character; everything else is itself. */
export function tagMatches(pattern: string, tag: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, "[^/]*")
    .replace(/\?/g, "[^/]");
  return new RegExp(`^${source}$`).test(tag);
}

/** Whether a push of `ref` is one the webhook deploys; else the reason it is not. */
export function refVerdict(hook: { branch: string | null; tagPattern: string | null }, ref: string): { deploys: true } | { deploys: false; reason: string } {
  if (hook.branch !== null) {
    return ref === `refs/heads/${hook.branch}` ? { deploys: true } : { deploys: false, reason: `${ref} is not the deployed branch (${hook.branch})` };
  }
  const tag = ref.startsWith("refs/tags/") ? ref.slice("refs/tags/".length) : null;
  if (tag !== null && hook.tagPattern !== null && tagMatches(hook.tagPattern, tag)) return { deploys: true };
  return { deploys: false, reason: `${ref} is not a tag matching ${hook.tagPattern ?? "(no pattern)"}` };
}
