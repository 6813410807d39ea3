import { describe, expect, it } from "vitest";
import { acceptsGzip, nonceOf } from "./html-fast-path";

describe("the status page copy's header reading", () => {
  it("takes gzip when the client names it (or *) without q=0", () => {
    expect(acceptsGzip("gzip, deflate, br")).toBe(true);
    expect(acceptsGzip("br;q=1.0, GZIP;q=0.5")).toBe(true);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("gzip;q=0, br")).toBe(false);
    expect(acceptsGzip("gzip; q=0.0")).toBe(false);
    expect(acceptsGzip("identity")).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it("reads the script nonce out of a Content-Security-Policy", () => {
    expect(nonceOf("default-src 'self'; script-src 'self' 'nonce-AbC+/9=' 'strict-dynamic'")).toBe("AbC+/9=");
    expect(nonceOf("default-src 'self'")).toBeNull();
    expect(nonceOf(undefined)).toBeNull();
  });
});
