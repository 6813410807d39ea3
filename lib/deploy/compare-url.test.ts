import { describe, expect, it } from "vitest";
import { compareUrl } from "./compare-url";

const a = "a".repeat(40);
const b = "b".repeat(40);

describe("compareUrl", () => {
  it("links github.com, gitlab.com (nested groups too) and bitbucket.org, from https, ssh:// and scp-like URLs", () => {
    expect(compareUrl("https://github.com/acme/shop.git", a, b)).toBe(`https://github.com/acme/shop/compare/${a}...${b}`);
    expect(compareUrl("git@github.com:acme/shop.git", a, b)).toBe(`https://github.com/acme/shop/compare/${a}...${b}`);
    expect(compareUrl("ssh://git@gitlab.com/group/sub/shop.git", a, b)).toBe(`https://gitlab.com/group/sub/shop/-/compare/${a}...${b}`);
    expect(compareUrl("https://***@bitbucket.org/acme/shop", a, b)).toBe(`https://bitbucket.org/acme/shop/branches/compare/${b}%0D${a}`);
  });

  it("gives nothing for other hosts, local paths, odd paths or non-SHAs", () => {
    expect(compareUrl("https://git.example.com/acme/shop.git", a, b)).toBeNull();
    expect(compareUrl("/srv/git/shop.git", a, b)).toBeNull();
    expect(compareUrl("https://github.com/acme/shop/extra", a, b)).toBeNull();
    expect(compareUrl("https://github.com/acme/..", a, b)).toBeNull();
    expect(compareUrl("https://github.com/acme/shop", "main", b)).toBeNull();
  });
});
