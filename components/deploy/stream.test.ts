import { describe, expect, it } from "vitest";
import { deployJson } from "@/lib/actions/wire";
import type { DeployView } from "@/lib/queries/deploys";
import { deployFromStream } from "./stream";

const view: DeployView = {
  id: "d1",
  kind: "deploy",
  status: "running",
  ref: "main",
  commit: "a".repeat(40),
  releaseId: null,
  release: null,
  commitMessage: "Fix the cart\n\nThe total was off by one.",
  commitAuthor: "Ada <ada@example.com>",
  committedAt: Date.UTC(2026, 10, 25, 18, 30, 0),
  autoRolledBack: false,
  cancelRequested: false,
  error: null,
  requestedBy: "ops@example.com",
  decidedBy: "lead@example.com",
  decidedAt: Date.UTC(2026, 10, 26, 8, 59, 0),
  rejectReason: null,
  app: { id: "a1", name: "shop" },
  createdAt: Date.UTC(2026, 10, 26, 9, 0, 0, 123),
  startedAt: Date.UTC(2026, 10, 26, 9, 0, 1),
  finishedAt: null,
  logTruncated: false,
  verdict: null,
  environment: "production",
  promotedFrom: null,
  freezeOverrideReason: null,
  steps: [
    { id: "s1", name: "pull", server: "web-1", serverId: "srv1", status: "succeeded", exitCode: 0, startedAt: Date.UTC(2026, 10, 26, 9, 0, 1), finishedAt: Date.UTC(2026, 10, 26, 9, 0, 4) },
    { id: "s2", name: "install", server: "web-1", serverId: "srv1", status: "pending", exitCode: null, startedAt: null, finishedAt: null },
  ],
};

describe("deployFromStream", () => {
  it("reads back exactly the deploy the stream and GET /api/v1/deploys/{id} send as JSON", () => {
    const sent = JSON.parse(JSON.stringify(deployJson(view))) as ReturnType<typeof deployJson>;
    expect(sent.createdAt).toBe("2026-11-26T09:00:00.123Z");
    expect(sent.steps[1]!.startedAt).toBeNull();
    expect(deployFromStream(sent)).toEqual(view);
  });
});
