import { describe, expect, it } from "vitest";
import { layoutOf, removeAppFilesCommand } from "./layout";

describe("removeAppFilesCommand", () => {
  it("removes releases/, current and shared/ under the deploy path, each quoted", () => {
    expect(removeAppFilesCommand(layoutOf("/srv/shop/"))).toBe("rm -rf -- '/srv/shop/releases' '/srv/shop/current' '/srv/shop/shared'");
    expect(removeAppFilesCommand(layoutOf("/srv/it's"))).toBe(`rm -rf -- '/srv/it'\\''s/releases' '/srv/it'\\''s/current' '/srv/it'\\''s/shared'`);
  });

  it("reads a doubled slash as one", () => {
    expect(removeAppFilesCommand(layoutOf("/srv//x"))).toBe("rm -rf -- '/srv//x/releases' '/srv//x/current' '/srv//x/shared'");
  });

  it("refuses /, an empty path, a relative path and one with .. before anything reaches rm", () => {
    for (const bad of ["/", "", "///", "srv/shop", "/srv/../etc", "/srv/./x", "/srv/.."]) {
      expect(() => removeAppFilesCommand(layoutOf(bad)), JSON.stringify(bad)).toThrow(/refusing to remove files/);
    }
  });
});
