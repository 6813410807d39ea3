import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSshd, type TestSshd } from "../../../test/harness/sshd";
import { db } from "../../db/client";
import { encryptSecret } from "../../crypto/secretbox";
import { loadSshTarget } from "../../servers/ssh-target";
import { AddressGuard } from "../../net/guard";
import { runCheck, type MonitorCheckSpec } from "./index";

let sshd: TestSshd;
let serverId = "";
const guard = new AddressGuard();

beforeAll(async () => {
  sshd = await startSshd();
  const key = await db().sshKey.create({ data: { name: "health", publicKey: sshd.publicKey, fingerprint: "unused", encryptedPrivateKey: encryptSecret(sshd.privateKey) } });
  const server = await db().server.create({
    data: { name: "web-1", host: "127.0.0.1", port: sshd.port, username: sshd.username, sshKeyId: key.id, hostKeyFingerprint: sshd.hostKeyFingerprint, hostKeyStatus: "pinned" },
  });
  serverId = server.id;
});
afterAll(async () => {
  await sshd?.stop();
});

const spec = (command: string, timeoutSeconds = 5, id = serverId): MonitorCheckSpec => ({
  type: "ssh",
  url: null,
  method: "GET",
  host: null,
  port: null,
  serverId: id,
  command,
  expectedStatus: "200-399",
  keyword: null,
  timeoutSeconds,
});
const ctx = () => ({ guard, loadSshTarget: (id: string) => loadSshTarget(id, db()) });

describe("SSH command monitors on a real sshd", () => {
  it("is up when the command exits 0", async () => {
    const r = await runCheck(spec("echo active"), ctx());
    expect(r).toMatchObject({ ok: true, detail: "exit 0: active" });
    expect(r.latencyMs).toBeGreaterThan(0);
  });

  it("is down on a non-zero exit, saying what the command said", async () => {
    const r = await runCheck(spec("echo inactive; exit 3"), ctx());
    expect(r).toMatchObject({ ok: false, detail: "exit 3: inactive" });
  });

  it("cuts a command that hangs at the monitor's timeout", async () => {
    const started = Date.now();
    const r = await runCheck(spec("sleep 30", 1), ctx());
    expect(r).toEqual({ ok: false, latencyMs: 1000, detail: "timed out after 1000 ms" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("refuses a server whose host key does not match the pin", async () => {
    await db().server.update({ where: { id: serverId }, data: { hostKeyFingerprint: "SHA256:" + "A".repeat(43) } });
    try {
      const r = await runCheck(spec("true"), ctx());
      expect(r.ok).toBe(false);
      expect(r.detail).toMatch(/host key of .* has changed/);
    } finally {
      await db().server.update({ where: { id: serverId }, data: { hostKeyFingerprint: sshd.hostKeyFingerprint } });
    }
  });

  it("times out on a host that accepts and then never speaks", async () => {
    sshd.freeze();
    try {
      const r = await runCheck(spec("true", 1), ctx());
      expect(r).toMatchObject({ ok: false, detail: "timed out after 1000 ms" });
    } finally {
      sshd.thaw();
    }
  });

  it("is refused when the server's address is denied", async () => {
    const r = await runCheck(spec("true"), { ...ctx(), guard: new AddressGuard({ deny: ["127.0.0.0/8"], allow: [] }) });
    expect(r.detail).toMatch(/denied by the health-check network setting/);
  });
});
