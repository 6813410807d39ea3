/**
 * `npm run smoke`: the release's smoke test before it is switched live. Starts this checkout's built web
 * app (as the web service would: `start.ts --web-only`, same environment) on a spare loopback port,
 * waits for /api/health to answer 200, prints that answer on stdout, and stops it.
 * Exit 0 when healthy; 1 otherwise, with the reason and the app's own output on stderr.
 *   --port <n>      use this port instead of a free one
 *   --timeout <s>   give up after this long (default 120)
 */
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildIsCurrent } from "../lib/build-stamp";
import { ConfigError, parseEnv } from "../lib/env";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { port: { type: "string" }, timeout: { type: "string", default: "120" } } });

function fail(message: string): never {
  process.stderr.write(`smoke: ${message}\n`);
  process.exit(1);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

let distDir: string;
try {
  distDir = parseEnv(process.env).DECKHAND_DIST_DIR;
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}
// Starting an unbuilt checkout would build it on the spot: that is `npm run build`'s job, not the smoke test's.
if (!buildIsCurrent(root, distDir)) fail(`no current build in ${distDir}: run npm run build first`);

const port = values.port ? Number(values.port) : await freePort();
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port ${values.port} is not a port`);
const timeoutMs = Number(values.timeout) * 1000;
const url = `http://127.0.0.1:${port}/api/health`;

const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
// Its own process group, so stopping it stops everything it started.
const app = spawn(process.execPath, [tsx, path.join(root, "scripts", "start.ts"), "--web-only"], {
  cwd: root,
  env: { ...process.env, PORT: String(port), DECKHAND_HOST: "127.0.0.1" },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
let output = "";
app.stdout!.on("data", (c: Buffer) => (output += c.toString()));
app.stderr!.on("data", (c: Buffer) => (output += c.toString()));

function signalGroup(signal: NodeJS.Signals): void {
  try {
    process.kill(-app.pid!, signal);
  } catch {
    // the group is already gone
  }
}

async function stop(): Promise<void> {
  if (app.exitCode !== null || app.signalCode !== null) return signalGroup("SIGKILL");
  const exited = new Promise<void>((resolve) => app.once("exit", () => resolve()));
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

const started = Date.now();
let body: string | null = null;
let last = "no answer yet";
while (Date.now() - started < timeoutMs && app.exitCode === null) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    if (res.ok) {
      body = text;
      break;
    }
    last = `${res.status} ${text}`;
  } catch (err) {
    last = err instanceof Error ? err.message : String(err);
  }
  await new Promise((r) => setTimeout(r, 500));
}
const exitedEarly = app.exitCode;
await stop();
if (body === null) {
  process.stderr.write(output);
  fail(exitedEarly !== null ? `the app exited (code ${exitedEarly}) before answering ${url}` : `${url} did not answer 200 within ${values.timeout} s (last: ${last})`);
}
process.stderr.write(`smoke: ${url} answered 200 after ${((Date.now() - started) / 1000).toFixed(1)} s; stopped it\n`);
process.stdout.write(body + "\n");
