import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { encryptSecret } from "../crypto/secretbox";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { checkServers, listPinnedServers } from "./servers";
import { closedPort } from "./testing";

/** Real sshd processes: one pinned and unchanged, one whose host key rotated, one gone; plus an unpinned server. */
let steady: TestSshd;
let rotated: TestSshd;

beforeAll(async () => {
  [steady, rotated] = await Promise.all([startSshd({ logLevel: "ERROR" }), startSshd({ logLevel: "ERROR" })]);
  const key = await db().sshKey.create({ data: { name: "doctor", publicKey: steady.publicKey, fingerprint: "SHA256:unused", encryptedPrivateKey: encryptSecret(steady.privateKey) } });
  const gone = await closedPort();
  const rows = [
    { name: "a-steady", host: "127.0.0.1", port: steady.port, hostKeyFingerprint: steady.hostKeyFingerprint },
    { name: "b-rotated", host: "127.0.0.1", port: rotated.port, hostKeyFingerprint: rotated.hostKeyFingerprint },
    { name: "c-gone", host: "127.0.0.1", port: gone, hostKeyFingerprint: steady.hostKeyFingerprint },
    { name: "d-unpinned", host: "127.0.0.1", port: steady.port, hostKeyFingerprint: null },
  ];
  for (const r of rows) await db().server.create({ data: { ...r, username: steady.username, sshKeyId: key.id, hostKeyStatus: r.hostKeyFingerprint ? "pinned" : "unpinned" } });
  await rotated.rotateHostKey();
}, 60_000);

afterAll(async () => {
  await Promise.all([steady?.stop(), rotated?.stop()]);
});

describe("servers", () => {
  it("checks every server's host key against its pin, in parallel: ok, changed, unreachable, unpinned", async () => {
    const started = Date.now();
    const results = await checkServers(await listPinnedServers(db()), { timeoutMs: 3_000 });
    expect(Date.now() - started).toBeLessThan(3_000 + 2_000);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ["server a-steady", "ok"],
      ["server b-rotated", "fail"],
      ["server c-gone", "fail"],
      ["server d-unpinned", "warn"],
    ]);
    expect(results[0]!.detail).toBe(`127.0.0.1:${steady.port}: host key matches the pin (ssh-ed25519 ${steady.hostKeyFingerprint})`);
    expect(results[1]!.detail).toContain("host key CHANGED");
    expect(results[1]!.detail).toContain(`presented ${rotated.hostKeyFingerprint}`);
    expect(results[2]!.detail).toMatch(/unreachable: cannot reach 127\.0\.0\.1:\d+: connection refused/);
    expect(results[3]!.detail).toMatch(/no host key pinned/);
  });

  it("gives up on a host that accepts the connection and never answers within the timeout", async () => {
    steady.freeze();
    try {
      const started = Date.now();
      const [r] = await checkServers([{ name: "frozen", host: "127.0.0.1", port: steady.port, hostKeyFingerprint: steady.hostKeyFingerprint }], { timeoutMs: 1_000 });
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(r!.status).toBe("fail");
      expect(r!.detail).toMatch(/unreachable: timed out after 1000 ms/);
    } finally {
      steady.thaw();
    }
  });

  it("is OK with no servers at all", async () => {
    expect(await checkServers([])).toEqual([{ name: "servers", status: "ok", detail: "no servers configured" }]);
  });
});
