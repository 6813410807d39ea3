/**
 * An anonymous flood of large request bodies against the built web process (scripts/web-server.ts), measuring
 * the process's resident memory before, during (peak) and after. Every request offers a body far over
 * DECKHAND_MAX_BODY_BYTES (1 MiB): declared (Content-Length: 64 MiB), and chunked to an API route (answered
 * 401 before reading), to next-auth's sign-in (read by next-auth, cut at the limit) and to a page as a server
 * action (Next-Action header).
 *   npm run bench:bodies [-- --requests 200 --concurrency 32 --rounds 3]   (requests: per kind and round)
 */
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { rawRequest } from "../test/security/support/raw-http";
import { freePort, runBench, startBenchDatabase, useBenchDatabase } from "./support";

const ROOT = path.resolve(import.meta.dirname, "..");
const DIST_DIR = ".next-test";
const MiB = 1024 * 1024;
const { values: flags } = parseArgs({ options: { requests: { type: "string", default: "200" }, concurrency: { type: "string", default: "32" }, rounds: { type: "string", default: "3" } } });
const ROUNDS = Number(flags.rounds);
const PER_KIND = Number(flags.requests);
const CONCURRENCY = Number(flags.concurrency);
const say = (m: string) => process.stdout.write(`[bodies] ${m}\n`);

function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

async function ensureBuild(): Promise<void> {
  const { buildIsCurrent, sourceFingerprint, stampFile } = await import("../lib/build-stamp");
  if (buildIsCurrent(ROOT, DIST_DIR) && existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID"))) return;
  say(`building the web app into ${DIST_DIR}`);
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, DECKHAND_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", DECKHAND_SECRET: "build-time-secret-build-time-secret-0123" },
  });
  writeFileSync(stampFile(ROOT, DIST_DIR), sourceFingerprint(ROOT));
}

type Kind = { name: string; path: string; headers: Record<string, string>; chunked: boolean };
const KINDS: Kind[] = [
  { name: "declared 64 MiB, API", path: "/api/v1/servers", headers: { "content-type": "application/json", "content-length": String(64 * MiB) }, chunked: false },
  { name: "chunked, API (401 first)", path: "/api/v1/servers", headers: { "content-type": "application/json" }, chunked: true },
  { name: "chunked, next-auth sign-in", path: "/api/auth/callback/credentials", headers: { "content-type": "application/x-www-form-urlencoded" }, chunked: true },
  { name: "chunked, server action", path: "/login", headers: { "content-type": "text/plain;charset=UTF-8", "next-action": "0".repeat(42) }, chunked: true },
];

async function flood(url: string, kind: Kind): Promise<{ statuses: Map<number, number>; sent: number }> {
  const statuses = new Map<number, number>();
  let sent = 0;
  let next = 0;
  const one = async () => {
    while (next < PER_KIND) {
      next++;
      const r = await rawRequest(url, { path: kind.path, headers: kind.headers, chunked: kind.chunked, bodyBytes: 16 * MiB }).catch(() => ({ status: 0, sent: 0 }));
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      sent += r.sent;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, one));
  return { statuses, sent };
}

async function main(): Promise<number> {
  await ensureBuild();
  const database = await startBenchDatabase("bodies", { say });
  await useBenchDatabase(database);
  const port = await freePort();
  const web = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/web-server.ts")], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DECKHAND_HOST: "127.0.0.1", NODE_ENV: "production", DECKHAND_DIST_DIR: DIST_DIR, LOG_LEVEL: "error" },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 60_000;
    while (
      (await fetch(`${url}/api/health`)
        .then((r) => r.status)
        .catch(() => 0)) === 0
    ) {
      if (Date.now() > deadline) throw new Error("the web process did not answer /api/health");
      await new Promise((r) => setTimeout(r, 300));
    }
    // Warm up: each route compiled and cached once, so the flood's figure is not the first render's.
    for (let i = 0; i < 5; i++) {
      for (const p of ["/login", "/api/health", "/api/v1/openapi.json"]) await fetch(`${url}${p}`).then((r) => r.arrayBuffer());
      for (const kind of KINDS) await rawRequest(url, { path: kind.path, headers: kind.headers, chunked: kind.chunked, bodyBytes: 2 * MiB });
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const before = rssMiB(web.pid!);
    say(`web process RSS before the flood: ${before.toFixed(1)} MiB`);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(web.pid!))), 50);
    // Rounds of the same flood: memory that a flood costs shows as growth round after round; a bounded
    // cost (buffers in flight, the heap's high-water mark) shows once and then stays flat.
    const afterRounds: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const started = performance.now();
      const rows: string[] = [];
      for (const kind of KINDS) {
        const { statuses, sent } = await flood(url, kind);
        rows.push(`${kind.name}: ${PER_KIND} requests, answers ${[...statuses].map(([s, n]) => `${s}×${n}`).join(" ")}, ${(sent / MiB).toFixed(0)} MiB of body written before the answer`);
      }
      const seconds = (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 3_000));
      afterRounds.push(rssMiB(web.pid!));
      if (round === 1) for (const row of rows) say(row);
      say(`round ${round}: ${KINDS.length * PER_KIND} requests, ${CONCURRENCY} at a time, in ${seconds.toFixed(1)} s; RSS after ${afterRounds.at(-1)!.toFixed(1)} MiB`);
    }
    clearInterval(sampler);
    const last = afterRounds.at(-1)!;
    say(
      `web process RSS: before ${before.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB, after each round ${afterRounds.map((r) => r.toFixed(1)).join(" / ")} MiB; ` +
        `round 1 → ${ROUNDS}: ${last - afterRounds[0]! >= 0 ? "+" : ""}${(last - afterRounds[0]!).toFixed(1)} MiB for ${(ROUNDS - 1) * KINDS.length * PER_KIND} more requests`,
    );
    return 0;
  } finally {
    web.kill("SIGTERM");
    await new Promise((r) => web.once("exit", r));
    await database.dispose();
  }
}

runBench("bench:bodies", main);
