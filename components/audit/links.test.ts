import { describe, expect, it } from "vitest";
import { deployLinkFor } from "./links";

describe("deployLinkFor", () => {
  const event = { targetType: "deploy", targetId: "dep-12", summary: { appId: "app-1" } };

  it("links a deploy event to its deploy page, and nothing else", () => {
    expect(deployLinkFor(event)).toBe("/apps/app-1/deploys/dep-12");
    expect(deployLinkFor({ ...event, summary: null })).toBeNull();
    expect(deployLinkFor({ ...event, targetType: "server" })).toBeNull();
  });

  it("escapes ids that are not URL-safe", () => {
    expect(deployLinkFor({ ...event, targetId: "a/b?c", summary: { appId: "x y" } })).toBe("/apps/x%20y/deploys/a%2Fb%3Fc");
  });
});
