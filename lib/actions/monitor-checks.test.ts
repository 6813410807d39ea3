import { beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "../auth/roles";
import { db } from "../db/client";
import { AppError } from "../errors";
import { runAction } from "./core";
import { createMonitorAction, updateMonitorAction } from "./monitors";

/** The certificate, assertion and degraded fields of monitor.create / monitor.update (the API and the form run these). */

const meta = { ip: "127.0.0.1", userAgent: "vitest" };
const admin: Principal = { kind: "user", id: "u-admin", email: "admin@example.test", name: null, role: "admin" };

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected the action to fail");
}

const http = { name: "api", type: "http", url: "https://127.0.0.1:8443/health" };

beforeEach(async () => {
  await db().monitor.deleteMany();
});

describe("new monitor fields", () => {
  it("stores assertions, the degraded threshold and certificate warning days; defaults to 30, 14, 7", async () => {
    const m = await runAction(
      createMonitorAction,
      admin,
      {
        ...http,
        assertions: [
          { path: "$.status", op: "==", value: "ok" },
          { path: "$.db", op: "exists" },
        ],
        degradedAfterMs: "1500",
        certWarnDays: [7, 30],
      },
      meta,
    );
    expect(m).toMatchObject({
      assertions: [
        { path: "$.status", op: "==", value: "ok" },
        { path: "$.db", op: "exists" },
      ],
      degradedAfterMs: 1500,
      certWarnDays: [30, 7],
      certNotAfter: null,
      certDaysLeft: null,
    });
    const plain = await runAction(createMonitorAction, admin, { ...http, name: "plain" }, meta);
    expect(plain).toMatchObject({ assertions: null, degradedAfterMs: null, certWarnDays: [30, 14, 7] });
  });

  it("creates a certificate monitor for host:port, 443 by default", async () => {
    const m = await runAction(createMonitorAction, admin, { name: "cert", type: "certificate", host: "localhost", certWarnDays: [21] }, meta);
    expect(m).toMatchObject({ type: "certificate", host: "localhost", port: 443, url: null, certWarnDays: [21] });
    const err = await failure(runAction(createMonitorAction, admin, { name: "meta", type: "certificate", host: "169.254.169.254" }, meta));
    expect(err.status).toBe(400);
  });

  it.each([
    [{ assertions: [{ path: "status", op: "==", value: "ok" }] }, "assertions.0.path: path status: must start with $ (e.g. $.status or $.checks[0].ok)"],
    [{ assertions: [{ path: "$.items[*].ok", op: "==", value: "true" }] }, "assertions.0.path: path $.items[*].ok: wildcards ([*]) are not supported: give an index"],
    [{ assertions: [{ path: "$.a", op: "=~", value: "x" }] }, "assertions.0.op: op must be one of ==, !=, <, <=, >, >=, contains, exists"],
    [{ assertions: [{ path: "$.a", op: ">" }] }, "assertions.0.value: value is required for >"],
    [{ assertions: [{ path: "$.ms", op: "<", value: "fast" }] }, "assertions.0.value: value must be a number for <"],
    [{ degradedAfterMs: 0 }, "degradedAfterMs: degradedAfterMs must be at least 1"],
    [{ degradedAfterMs: 20_000, timeoutSeconds: 10 }, "degradedAfterMs: must be shorter than the timeout (a slower check is cut, not degraded)"],
    [{ certWarnDays: [0] }, "certWarnDays.0: certWarnDays must be at least 1 day"],
    [{ certWarnDays: "soon" }, "certWarnDays: certWarnDays must be a list of days, e.g. [30, 14, 7]"],
  ])("refuses %j naming the field", async (extra, message) => {
    const err = await failure(runAction(createMonitorAction, admin, { ...http, ...extra }, meta));
    expect(err.status).toBe(400);
    expect(err.message).toBe(message);
  });

  it("PATCH changes and clears them; a new URL forgets the certificate seen", async () => {
    const m = await runAction(createMonitorAction, admin, { ...http, assertions: [{ path: "$.ok", op: "==", value: "true" }], degradedAfterMs: 900 }, meta);
    await db().monitor.update({ where: { id: m.id }, data: { status: "up", certNotAfter: new Date(Date.now() + 5 * 86_400_000), certAlertedDays: 7, certSubject: "CN=x" } });
    const kept = await runAction(updateMonitorAction, admin, { id: m.id, name: "api 2" }, meta);
    expect(kept).toMatchObject({ assertions: [{ path: "$.ok", op: "==", value: "true" }], degradedAfterMs: 900, certAlertedDays: 7, certDaysLeft: 5, status: "up" });
    const cleared = await runAction(updateMonitorAction, admin, { id: m.id, assertions: [], degradedAfterMs: null }, meta);
    expect(cleared).toMatchObject({ assertions: null, degradedAfterMs: null, status: "pending" });
    const moved = await runAction(updateMonitorAction, admin, { id: m.id, url: "https://localhost:9443/health" }, meta);
    expect(moved).toMatchObject({ certNotAfter: null, certAlertedDays: null, certSubject: null });
    const err = await failure(runAction(updateMonitorAction, admin, { id: m.id, assertions: [{ path: "$..x", op: "exists" }] }, meta));
    expect(err.message).toBe("assertions.0.path: path $..x: recursive descent (..) is not supported: name each step, e.g. $.a.b");
  });
});
