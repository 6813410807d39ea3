import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gzipOf, piece } from "./spliced-gzip";

describe("gzipOf", () => {
  it("is one gzip stream of the pieces in order, whatever goes between them", () => {
    const page = Buffer.from(`<html>${'<span class="flex-1 rounded-sm bg-emerald-500" title="up"></span>'.repeat(5_000)}</html>`);
    const [a, b] = [page.subarray(0, 100_000), page.subarray(100_000)].map((p) => piece(p));
    for (let i = 0; i < 3; i++) {
      const nonce = Buffer.from(randomBytes(16).toString("base64"));
      const gz = gzipOf([a!, piece(nonce), b!]);
      expect(gunzipSync(gz).equals(Buffer.concat([page.subarray(0, 100_000), nonce, page.subarray(100_000)]))).toBe(true);
      expect(gz.length).toBeLessThan(page.length / 20);
    }
  });

  it("handles empty pieces and a single piece", () => {
    expect(gunzipSync(gzipOf([piece(Buffer.alloc(0))])).length).toBe(0);
    expect(gunzipSync(gzipOf([piece(Buffer.from("x")), piece(Buffer.alloc(0)), piece(Buffer.from("y"))])).toString()).toBe("xy");
  });
});
