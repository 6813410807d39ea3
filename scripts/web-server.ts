// The web process: Next.js behind a few lines of node:http, the one place every request and response passes
// (lib/web/gate.ts): the client address Deckhand records and rate-limits on comes from the socket (or, with
// DECKHAND_TRUST_PROXY, from the proxy's X-Forwarded-For), never from a header the client chose; every
// response carries the security headers; oversized bodies and cross-site changes are refused before Next.
import http from "node:http";
import path from "node:path";
import next from "next";
import { env } from "../lib/env";
import { servePublicStatus } from "../lib/status-pages/fast-path";
import { servePublicStatusPage } from "../lib/status-pages/html-fast-path";
import { admitRequest } from "../lib/web/gate";
import { webSettingsFrom } from "../lib/web/settings";

const dev = process.argv.includes("--dev");
const parsed = env();
const { PORT: port, DECKHAND_HOST: hostname } = parsed;
const settings = webSettingsFrom(parsed, dev);
const dir = path.resolve(import.meta.dirname, "..");

const app = next({ dev, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

// Where the status-page fast path asks Next to render a page (a loopback request to this server).
const loopback = hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
const origin = `http://${loopback.includes(":") ? `[${loopback}]` : loopback}:${port}`;

const server = http.createServer((req, res) => {
  if (!admitRequest(req, res, settings)) return;
  // The open status-page answers (JSON, badges) come from their cache without a trip through Next, and the
  // HTML page from a copy Next rendered of the same cached answer (lib/status-pages/html-fast-path.ts).
  if (servePublicStatus(req, res) || servePublicStatusPage(req, res, origin, () => void handle(req, res))) return;
  void handle(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => {
  process.stdout.write(JSON.stringify({ level: 30, time: Date.now(), service: "deckhand", msg: "web listening", port, hostname }) + "\n");
});

function stop(): void {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  // Not unref'd: Next keeps handles of its own, and a stop must not depend on them closing.
  setTimeout(() => process.exit(0), 5_000);
}

for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, stop);
// Started by `npm start` with an IPC channel: when that supervisor dies, however it dies, the channel
// closes and the web process goes with it instead of lingering on its port.
if (process.send) process.on("disconnect", stop);
