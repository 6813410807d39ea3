import { describe, expect, it } from "vitest";
import { RELEASE_DIR, releaseDirName } from "./layout";

const sha = "0123456789abcdef0123456789abcdef01234567";
const other = "fedcba9876543210fedcba9876543210fedcba98";

describe("release directory names", () => {
  it("are the UTC second and the short SHA", () => {
    const dir = releaseDirName(new Date("2026-12-03T15:04:05.678Z"), sha);
    expect(dir).toBe("20261203150405-0123456");
    expect(RELEASE_DIR.test(dir)).toBe(true);
  });

  it("move one second past the latest release when it is from the same second, so a redeploy never collides", () => {
    const at = new Date("2026-12-03T15:04:05.900Z");
    const first = releaseDirName(at, sha);
    const second = releaseDirName(at, other, first);
    const third = releaseDirName(at, sha, second);
    expect([first, second, third]).toEqual(["20261203150405-0123456", "20261203150406-fedcba9", "20261203150407-0123456"]);
    expect([third, first, second].sort()).toEqual([first, second, third]);
  });

  it("keep the newest last when the clock is behind the latest release, across a day boundary", () => {
    expect(releaseDirName(new Date("2026-12-03T23:59:58Z"), sha, "20261203235959-fedcba9")).toBe("20261204000000-0123456");
  });

  it("use the clock when the latest release is older, and ignore a latest dir that is not a release name", () => {
    const at = new Date("2026-12-03T15:04:05Z");
    expect(releaseDirName(at, sha, "20261203150404-fedcba9")).toBe("20261203150405-0123456");
    expect(releaseDirName(at, sha, "hand-made")).toBe("20261203150405-0123456");
    expect(releaseDirName(at, sha, null)).toBe("20261203150405-0123456");
  });
});
