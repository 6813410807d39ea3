import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startWorker } from "../worker/worker";
import { doctorExitCode, formatReport, runDoctor } from "./run";
import { downDatabaseUrl } from "./testing";

const root = path.resolve(import.meta.dirname, "../..");
const url = process.env.DATABASE_URL!;

function deckhand(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bin", "deckhand.mjs"), ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: "warn", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** A healthy installation has a worker running: a real one, in this process, for the duration of `fn`. */
async function withWorker<T>(fn: () => Promise<T>): Promise<T> {
  const worker = await startWorker(url);
  try {
    return await fn();
  } finally {
    await worker.stop();
  }
}

describe("runDoctor", () => {
  it("reports a healthy installation with no FAIL", async () => {
    const results = await withWorker(() => runDoctor({ source: { ...process.env, DATABASE_URL: url }, disk: { warnBytes: 1, failBytes: 1 } }));
    expect(results.map((r) => r.name)).toEqual(["config", "database", "migrations", "secret", "disk", "workers", "servers", "storage"]);
    expect(results.filter((r) => r.status !== "ok")).toEqual([]);
    expect(doctorExitCode(results)).toBe(0);
  });

  it("reports a database that is down as FAIL and still runs the checks that do not need it", async () => {
    const results = await runDoctor({ source: { ...process.env, DATABASE_URL: await downDatabaseUrl(url) }, disk: { warnBytes: 1, failBytes: 1 } });
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName.config!.status).toBe("ok");
    expect(byName.database!.status).toBe("fail");
    expect(byName.database!.detail).toMatch(/connection refused/);
    expect(byName.migrations).toEqual({ name: "migrations", status: "warn", detail: "not checked: the database is unreachable" });
    expect(byName.secret!.status).toBe("warn");
    expect(byName.disk!.status).toBe("ok");
    expect(byName.servers!.status).toBe("warn");
    expect(doctorExitCode(results)).toBe(1);
  });

  it("keeps going with invalid settings: each is a FAIL naming the variable", async () => {
    const results = await runDoctor({ source: { ...process.env, DATABASE_URL: "mysql://nope", DECKHAND_WORKER_CONCURRENCY: "0" } });
    const report = formatReport(results);
    expect(report).toMatch(/^FAIL  config +DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/m);
    expect(report).toMatch(/^FAIL  config +DECKHAND_WORKER_CONCURRENCY /m);
    expect(report).toMatch(/^FAIL  database +not checked: DATABASE_URL is invalid \(see config\)$/m);
    expect(report).toMatch(/^(OK|WARN|FAIL) +disk /m);
  });
});

describe("npx deckhand doctor", () => {
  it("prints one line per check and exits 0 on a healthy installation", async () => {
    const r = await withWorker(() => deckhand({ DATABASE_URL: url }, "doctor"));
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual(["config", "database", "migrations", "secret", "disk", "workers", "servers", "storage", "FAIL,"]);
    expect(r.stdout).toMatch(/^OK +workers +1 worker\(s\) running/m);
    expect(r.stdout).toMatch(/^OK +database +PostgreSQL \d+/m);
    expect(r.stdout).toMatch(/^OK +migrations +all \d+ migrations applied/m);
    expect(lines.at(-1)).toMatch(/^0 FAIL, \d+ WARN, \d+ OK$/);
    expect(r.code).toBe(0);
  });

  it("exits 1 with a FAIL line when the database is down, and still reports the rest", async () => {
    const r = await deckhand({ DATABASE_URL: await downDatabaseUrl(url) }, "doctor");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL +database +cannot reach 127\.0\.0\.1:\d+\/\S+: connection refused/m);
    expect(r.stdout).toMatch(/^OK +config /m);
    expect(r.stdout).toMatch(/^(OK|WARN) +disk /m);
    expect(r.stdout).toMatch(/^1 FAIL, /m);
  });
});
