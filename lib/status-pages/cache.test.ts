import { describe, expect, it } from "vitest";
import { SingleFlightCache } from "./cache";

describe("SingleFlightCache", () => {
  it("builds once for a crowd, serves the value until it expires, then builds again", async () => {
    const cache = new SingleFlightCache<number>(5_000);
    let builds = 0;
    const build = () => new Promise<number>((r) => setTimeout(() => r(++builds), 10));
    const crowd = await Promise.all(Array.from({ length: 100 }, () => cache.get("a", build, 1_000)));
    expect(new Set(crowd)).toEqual(new Set([1]));
    expect(await cache.get("a", build, 5_999)).toBe(1);
    expect(await cache.get("a", build, 6_000)).toBe(2);
    expect(builds).toBe(2);
  });

  it("does not keep a failed build, and holds at most maxKeys keys", async () => {
    const cache = new SingleFlightCache<string>(5_000, 3);
    await expect(cache.get("x", () => Promise.reject(new Error("db away")))).rejects.toThrow("db away");
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get("x", () => Promise.resolve("ok"))).toBe("ok");
    for (const k of ["b", "c", "d", "e"]) await cache.get(k, () => Promise.resolve(k));
    expect(cache.size).toBe(3);
  });
});
