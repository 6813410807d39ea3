import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deliveryIdOf, detectProvider, genericSignature, readPushRequest, refVerdict, tagMatches, verifyPushSignature } from "./push-signature";

const secret = "s3cret";
const body = JSON.stringify({ ref: "refs/heads/main", after: "a".repeat(40) });
const hmac = (data: string, key = secret) => createHmac("sha256", key).update(data).digest("hex");
const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

describe("push webhook signatures", () => {
  it("tells the provider from its headers (Gitea before GitHub: it sends both)", () => {
    expect(detectProvider(headers({ "x-hub-signature-256": "x" }))).toBe("github");
    expect(detectProvider(headers({ "x-hub-signature-256": "x", "x-gitea-signature": "y" }))).toBe("gitea");
    expect(detectProvider(headers({ "x-gitlab-token": "x" }))).toBe("gitlab");
    expect(detectProvider(headers({ "x-deckhand-signature": "x" }))).toBe("generic");
    expect(detectProvider(headers({}))).toBeNull();
  });

  it("accepts each provider's signature and refuses a wrong one", () => {
    expect(verifyPushSignature("github", secret, headers({ "x-hub-signature-256": `sha256=${hmac(body)}` }), body).ok).toBe(true);
    expect(verifyPushSignature("github", secret, headers({ "x-hub-signature-256": `sha256=${hmac(body, "other")}` }), body).ok).toBe(false);
    expect(verifyPushSignature("github", secret, headers({ "x-hub-signature-256": `sha256=${hmac(body)}` }), `${body} `).ok).toBe(false);
    expect(verifyPushSignature("gitea", secret, headers({ "x-gitea-signature": hmac(body) }), body).ok).toBe(true);
    expect(verifyPushSignature("gitea", secret, headers({ "x-gitea-signature": "00" }), body).ok).toBe(false);
    expect(verifyPushSignature("gitlab", secret, headers({ "x-gitlab-token": secret }), body).ok).toBe(true);
    expect(verifyPushSignature("gitlab", secret, headers({ "x-gitlab-token": `${secret}x` }), body).ok).toBe(false);
  });

  it("signs the generic form over <timestamp>.<body> and refuses a timestamp over 5 minutes off", () => {
    const now = 1_800_000_000_000;
    const ts = now / 1000;
    expect(genericSignature(secret, ts, body)).toBe(`sha256=${hmac(`${ts}.${body}`)}`);
    const ok = headers({ "x-deckhand-signature": genericSignature(secret, ts, body), "x-deckhand-timestamp": String(ts) });
    expect(verifyPushSignature("generic", secret, ok, body, now).ok).toBe(true);
    const stale = headers({ "x-deckhand-signature": genericSignature(secret, ts - 301, body), "x-deckhand-timestamp": String(ts - 301) });
    expect(verifyPushSignature("generic", secret, stale, body, now)).toEqual({ ok: false, reason: expect.stringMatching(/more than 5 minutes/) });
    const moved = headers({ "x-deckhand-signature": genericSignature(secret, ts, body), "x-deckhand-timestamp": String(ts + 1) });
    expect(verifyPushSignature("generic", secret, moved, body, now).ok).toBe(false);
  });

  it("reads delivery ids, refusing none or odd ones", () => {
    expect(deliveryIdOf("github", headers({ "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958" }))).toBe("72d3162e-cc78-11e3-81ab-4c9367dc0958");
    expect(deliveryIdOf("gitlab", headers({}))).toBeNull();
    expect(deliveryIdOf("generic", headers({ "x-deckhand-delivery": "a b" }))).toBeNull();
  });
});

describe("what a push asks", () => {
  const sha = "b".repeat(40);
  it("a push names its ref and the exact commit; other events and deletions are ignored with a reason", () => {
    expect(readPushRequest("github", headers({ "x-github-event": "push" }), { ref: "refs/heads/main", after: sha })).toEqual({ kind: "push", ref: "refs/heads/main", sha });
    expect(readPushRequest("github", headers({ "x-github-event": "ping" }), { zen: "x" })).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/"ping" events deploy nothing/) });
    expect(readPushRequest("github", headers({ "x-github-event": "push" }), { ref: "refs/heads/main", after: "0".repeat(40), deleted: true })).toMatchObject({ kind: "ignored", reason: "refs/heads/main was deleted" });
    expect(readPushRequest("gitlab", headers({ "x-gitlab-event": "Tag Push Hook" }), { ref: "refs/tags/v1", after: "c".repeat(40), checkout_sha: sha })).toEqual({ kind: "push", ref: "refs/tags/v1", sha });
    expect(readPushRequest("generic", headers({}), { ref: "refs/heads/main", after: sha })).toMatchObject({ kind: "push" });
  });

  it("deploys the configured branch or tags matching the glob only", () => {
    expect(refVerdict({ branch: "main", tagPattern: null }, "refs/heads/main")).toEqual({ deploys: true });
    expect(refVerdict({ branch: "main", tagPattern: null }, "refs/heads/dev")).toEqual({ deploys: false, reason: "refs/heads/dev is not the deployed branch (main)" });
    expect(refVerdict({ branch: null, tagPattern: "v*" }, "refs/tags/v1.2.0")).toEqual({ deploys: true });
    expect(refVerdict({ branch: null, tagPattern: "v*" }, "refs/heads/v1")).toMatchObject({ deploys: false });
    expect(tagMatches("release-?.*", "release-1.4")).toBe(true);
    expect(tagMatches("v*", "v1/x")).toBe(false);
    expect(tagMatches("v1.0", "v1x0")).toBe(false);
  });
});
