import { describe, expect, it } from "vitest";
import { checkDeclaredBody } from "./body-limit";
import { checkApiContentType } from "./content-type";
import { contentSecurityPolicy, wantsHsts } from "./headers";
import { canonicalOrigin, checkRequestOrigin, ownOrigin } from "./origin";

/** The gate's pure rules; test/security/*.test.ts attacks them on the running app. */
const local = { publicOrigin: null, trustProxy: false };
const publicHttps = { publicOrigin: "https://deckhand.example.com", trustProxy: false };

describe("origin rule", () => {
  it("canonicalises origins: default ports dropped, case folded, only http(s)", () => {
    expect(canonicalOrigin("HTTPS://Deckhand.Example.com:443")).toBe("https://deckhand.example.com");
    expect(canonicalOrigin("null")).toBeNull();
    expect(canonicalOrigin("javascript:alert(1)")).toBeNull();
  });

  it("takes the public URL's origin when set, else the request's Host (X-Forwarded-* only from a trusted proxy)", () => {
    expect(ownOrigin({ host: "10.0.0.5:3000" }, local)).toBe("http://10.0.0.5:3000");
    expect(ownOrigin({ host: "10.0.0.5:3000", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }, local)).toBe("http://10.0.0.5:3000");
    expect(ownOrigin({ host: "x", "x-forwarded-host": "deckhand.example.com", "x-forwarded-proto": "https" }, { publicOrigin: null, trustProxy: true })).toBe("https://deckhand.example.com");
    expect(ownOrigin({ host: "anything" }, publicHttps)).toBe("https://deckhand.example.com");
  });

  it("refuses cookie changes from siblings and other sites, and leaves safe methods and bearer requests alone", () => {
    const h = (extra: Record<string, string>) => ({ host: "deckhand.example.com", cookie: "s=1", ...extra });
    expect(checkRequestOrigin("POST", h({ origin: "https://deckhand.example.com" }), publicHttps).ok).toBe(true);
    for (const origin of ["https://app.deckhand.example.com", "https://deckhand.example.com:8443", "http://deckhand.example.com", "null"]) {
      expect(checkRequestOrigin("POST", h({ origin }), publicHttps).ok, origin).toBe(false);
    }
    expect(checkRequestOrigin("DELETE", h({ "sec-fetch-site": "same-site" }), publicHttps).ok).toBe(false);
    expect(checkRequestOrigin("PATCH", h({ "sec-fetch-site": "same-origin" }), publicHttps).ok).toBe(true);
    expect(checkRequestOrigin("POST", h({}), publicHttps).ok).toBe(false);
    expect(checkRequestOrigin("POST", { host: "x" }, publicHttps).ok).toBe(true);
    expect(checkRequestOrigin("GET", h({ origin: "https://evil.example" }), publicHttps).ok).toBe(true);
    expect(checkRequestOrigin("POST", h({ origin: "https://evil.example", authorization: "Bearer abc" }), publicHttps).ok).toBe(true);
  });
});

describe("content type and declared length", () => {
  it("wants application/json for API bodies only", () => {
    expect(checkApiContentType("POST", "/api/v1/apps", { "content-length": "2", "content-type": "text/plain" }).ok).toBe(false);
    expect(checkApiContentType("POST", "/api/v1/apps?x=1", { "content-length": "2", "content-type": "application/json; charset=utf-8" }).ok).toBe(true);
    expect(checkApiContentType("POST", "/api/v1/deploys/1/cancel", { "content-length": "0" }).ok).toBe(true);
    expect(checkApiContentType("POST", "/api/auth/callback/credentials", { "content-length": "9", "content-type": "application/x-www-form-urlencoded" }).ok).toBe(true);
  });

  it("refuses a declared length over the limit", () => {
    expect(checkDeclaredBody({ "content-length": "1025" }, 1024).ok).toBe(false);
    expect(checkDeclaredBody({ "content-length": "1024" }, 1024).ok).toBe(true);
  });
});

describe("headers", () => {
  it("allows eval only for next dev, and HSTS only over https", () => {
    expect(contentSecurityPolicy("n", false)).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy("n", true)).toContain("unsafe-eval");
    expect(wantsHsts({}, { ...local, dev: false })).toBe(false);
    expect(wantsHsts({}, { ...publicHttps, dev: false })).toBe(true);
    expect(wantsHsts({ "x-forwarded-proto": "https" }, { publicOrigin: null, trustProxy: true, dev: false })).toBe(true);
    expect(wantsHsts({ "x-forwarded-proto": "https" }, { ...local, dev: false })).toBe(false);
  });
});
