import { describe, expect, it } from "vitest";
import { afterSignInPath, sameOriginPath, sameOriginUrl } from "./redirect";

const ORIGIN = "http://127.0.0.1:3000";

describe("redirects after sign-in stay on Deckhand's origin", () => {
  const hostile = [
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil",
    "\\/evil.example",
    "https://evil.example",
    "https://evil.example/?next=/",
    "http://127.0.0.1:3001/",
    "http://127.0.0.1.evil.example:3000/",
    "http://127.0.0.1:3000@evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "///evil.example",
    "http:evil.example",
    "https:/\\evil.example",
  ];
  for (const raw of hostile) {
    it(`${JSON.stringify(raw)} goes nowhere else`, () => {
      const path = sameOriginPath(raw, ORIGIN);
      expect(path.startsWith("/")).toBe(true);
      expect(path.startsWith("//")).toBe(false);
      expect(new URL(path, ORIGIN).origin).toBe(ORIGIN);
      expect(new URL(sameOriginUrl(raw, ORIGIN)).origin).toBe(ORIGIN);
    });
  }

  it("keeps a path on the origin, with its query and fragment", () => {
    expect(sameOriginPath("/apps/abc?tab=deploys#log", ORIGIN)).toBe("/apps/abc?tab=deploys#log");
    expect(sameOriginPath(`${ORIGIN}/servers`, ORIGIN)).toBe("/servers");
    expect(sameOriginPath("/%2F%2Fevil.example", ORIGIN)).toBe("/%2F%2Fevil.example");
    // A double slash after the origin is a path here, not a host.
    expect(sameOriginPath(`${ORIGIN}//evil.example`, ORIGIN)).toBe("/evil.example");
    expect(sameOriginUrl("/apps", ORIGIN)).toBe(`${ORIGIN}/apps`);
  });

  it("falls back to the overview for nothing, or for the sign-in pages themselves", () => {
    for (const raw of [null, undefined, ""]) expect(sameOriginPath(raw, ORIGIN)).toBe("/");
    for (const raw of ["/login", "/login?callbackUrl=/apps", "/setup", "/api/auth/signout"]) expect(afterSignInPath(raw, ORIGIN)).toBe("/");
    expect(afterSignInPath("/logins-report", ORIGIN)).toBe("/logins-report");
  });
});
