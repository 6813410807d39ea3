/**
 * `npm run bench:bundle`: what a browser downloads and how soon it paints, on this machine.
 *
 * (a) first-load JavaScript per page route, read from the Next build output: the build manifest's root main
 *     files (the runtime every page loads) plus the route's client reference manifest's entry JS files (its
 *     layouts, page and error boundaries), each gzipped with zlib at level 9 (as Next measured it),
 *     against a budget of 200 kB (1 kB = 1,000 bytes). The nomodule polyfill file is left out: Chromium,
 *     Firefox and Safari never download it. Cross-checked in Chromium: the script responses of a real load
 *     of the overview, an app page and a monitor page, gzipped and summed the same way, split into the ones
 *     the HTML names (first load) and the ones loaded after (lazy chunks such as the latency chart).
 * (b) Largest Contentful Paint in Chromium (PerformanceObserver 'largest-contentful-paint', buffered) of the
 *     overview, an app page and a monitor page, signed in, on the health bench's data (monitors with 90 days of
 *     60 s history, rolled up; an app with a release and a deploy every 9 days): median of 5 loads, each in a
 *     fresh browser context (cold cache), after one warm-up load; against 1,000 ms.
 *
 * Builds the web app into .next-test (the test runner's build, shared) unless it is current; --no-build takes
 * the build as it is. Starts its own embedded PostgreSQL (or a throwaway database on DATABASE_URL) and the
 * built web app on a free port. Flags: --no-build  --dist-dir .next-test  --runs 5  --monitors 100  --days 90
 * --skip-browser (only (a), from the build output)  --keep
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { freePort, quantileOf, runBench, startBenchDatabase, useBenchDatabase, type BenchDatabase } from "./support";

const { values: flags } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    "dist-dir": { type: "string", default: ".next-test" },
    runs: { type: "string", default: "5" },
    monitors: { type: "string", default: "100" },
    days: { type: "string", default: "90" },
    "skip-browser": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const root = path.resolve(import.meta.dirname, "..");
const DIST = flags["dist-dir"];
const distPath = path.resolve(root, DIST);
const RUNS = Number(flags.runs);
const MONITORS = Number(flags.monitors);
const DAYS = Number(flags.days);
const BUDGET_BYTES = 200_000;
const LCP_BUDGET_MS = 1000;
const say = (m: string) => process.stdout.write(`${m}\n`);
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

// ---------- build ----------

async function ensureBuild(): Promise<void> {
  const { buildIsCurrent, sourceFingerprint, stampFile } = await import("../lib/build-stamp");
  if (flags["no-build"]) {
    if (!existsSync(path.join(distPath, "BUILD_ID"))) throw new Error(`--no-build: there is no build in ${DIST} (run without --no-build)`);
    say(`build: ${DIST} as it is (--no-build${buildIsCurrent(root, DIST) ? "" : "; older than the sources"})`);
    return;
  }
  if (buildIsCurrent(root, DIST)) {
    say(`build: ${DIST} is current`);
    return;
  }
  say(`build: next build into ${DIST} (the sources changed since the last one)`);
  const t = performance.now();
  const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DECKHAND_DIST_DIR: DIST, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`next build exited with ${code}`);
  writeFileSync(stampFile(root, DIST), sourceFingerprint(root));
  say(`build: done in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}

// ---------- (a) first-load JS from the build output ----------

interface RouteBundle {
  /** The URL path, e.g. /monitors/[id]. */
  route: string;
  /** Files under the dist dir, e.g. static/chunks/abc.js. */
  files: string[];
  gzBytes: number;
}

const gzCache = new Map<string, number>();
function gzSize(file: string): number {
  let n = gzCache.get(file);
  if (n === undefined) {
    n = gzipSync(readFileSync(path.join(distPath, file)), { level: 9 }).length;
    gzCache.set(file, n);
  }
  return n;
}

interface RscManifest {
  entryJSFiles?: Record<string, string[]>;
}

/** A route's client reference manifest is a script assigning globalThis.__RSC_MANIFEST[page]; run it in a sandbox. */
function readRscManifest(page: string): RscManifest {
  const file = path.join(distPath, "server", "app", `${page}_client-reference-manifest.js`);
  if (!existsSync(file)) throw new Error(`no client reference manifest for ${page} (${path.relative(root, file)}): is ${DIST} a Next 16 app-router build?`);
  const sandbox: { globalThis?: unknown; __RSC_MANIFEST?: Record<string, RscManifest> } = {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(readFileSync(file, "utf8"), sandbox, { filename: file });
  const manifest = sandbox.__RSC_MANIFEST?.[page];
  if (!manifest?.entryJSFiles) throw new Error(`${path.relative(root, file)} names no entryJSFiles for ${page}`);
  return manifest;
}

function firstLoadBundles(): { routes: RouteBundle[]; rootMain: string[] } {
  const build = JSON.parse(readFileSync(path.join(distPath, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const pages = JSON.parse(readFileSync(path.join(distPath, "app-path-routes-manifest.json"), "utf8")) as Record<string, string>;
  const routes: RouteBundle[] = [];
  for (const [page, route] of Object.entries(pages)) {
    if (!page.endsWith("/page") || page === "/_global-error/page") continue;
    const manifest = readRscManifest(page);
    const files = new Set(build.rootMainFiles);
    // A not-found boundary's own chunk is fetched only when a page calls notFound() (Chromium confirms: the
    // HTML does not name it); its shared chunks are counted through the other entries.
    for (const [entry, list] of Object.entries(manifest.entryJSFiles!)) {
      if (entry.endsWith("/not-found") && page !== "/_not-found/page") continue;
      for (const f of list) if (f.endsWith(".js")) files.add(f);
    }
    const sorted = [...files].sort();
    routes.push({ route, files: sorted, gzBytes: sorted.reduce((a, f) => a + gzSize(f), 0) });
  }
  routes.sort((a, b) => a.route.localeCompare(b.route));
  return { routes, rootMain: build.rootMainFiles };
}

/** The biggest chunks of a route, to say what a failing route carries. */
function biggest(r: RouteBundle, n: number): string {
  return [...r.files]
    .sort((a, b) => gzSize(b) - gzSize(a))
    .slice(0, n)
    .map((f) => `${path.basename(f)} ${kB(gzSize(f))}`)
    .join(", ");
}

// ---------- the web app, seeded ----------

const admin = { email: "bench-admin@example.test", password: "bench password, not a secret" };

async function seed(): Promise<{ appId: string; monitorId: string; results: number }> {
  const { db } = await import("../lib/db/client");
  const { hashPassword } = await import("../lib/auth/password");
  const { generateResults } = await import("../lib/health/testing/synthetic");
  const { rollUpResults } = await import("../lib/health/rollups");
  const client = db();
  await client.user.create({ data: { email: admin.email, role: "admin", passwordHash: await hashPassword(admin.password) } });
  const now = new Date();
  const from = new Date(Math.floor((now.getTime() - DAYS * 86_400_000) / 60_000) * 60_000);
  const app = await client.app.create({ data: { name: "bench-shop", repoUrl: "https://example.invalid/shop.git", deployPath: "/srv/shop" } });
  const ids: string[] = [];
  for (let i = 0; i < MONITORS; i++) {
    const m = await client.monitor.create({
      data: {
        name: `monitor ${String(i).padStart(3, "0")}`,
        type: "http",
        url: `http://127.0.0.1:9/${i}`,
        intervalSeconds: 60,
        status: i % 17 === 0 ? "down" : "up",
        appId: i < 10 ? app.id : null,
        isAppHealth: i === 0,
        lastCheckedAt: now,
        // Not due: no worker runs here, and the pages are read as they are.
        nextRunAt: new Date(now.getTime() + 86_400_000),
      },
    });
    ids.push(m.id);
  }
  // A release and a deploy about every 9 days (as the health bench), so the app page lists releases and the
  // app's monitor pages carry deploy markers.
  for (let d = Math.floor(DAYS / 9); d >= 1; d--) {
    const at = new Date(now.getTime() - d * 9 * 86_400_000);
    const commit = (d * 7919).toString(16).padStart(40, "a");
    const r = await client.release.create({
      data: {
        appId: app.id,
        commit,
        dir: `${at.toISOString().replace(/\D/g, "").slice(0, 14)}-${commit.slice(0, 7)}`,
        status: "succeeded",
        createdAt: at,
        commitMessage: `Release ${d}: faster checkout`,
        commitAuthor: "Dev <dev@example.test>",
        committedAt: at,
      },
    });
    await client.deploy.create({
      data: { appId: app.id, kind: d % 4 === 0 ? "rollback" : "deploy", status: "succeeded", releaseId: r.id, actorLabel: "bench@example.test", createdAt: at, startedAt: at, finishedAt: new Date(at.getTime() + 60_000) },
    });
  }
  let results = 0;
  for (let d = 0; d < DAYS; d += 10) {
    const a = new Date(from.getTime() + d * 86_400_000);
    const b = new Date(Math.min(now.getTime(), from.getTime() + (d + 10) * 86_400_000));
    results += await generateResults(client, { monitorIds: ids, from: a, to: b, stepSeconds: 60 });
    process.stdout.write(`\r  generating results in SQL: ${results.toLocaleString("en")}`);
  }
  process.stdout.write("\r");
  await client.$executeRawUnsafe(`VACUUM ANALYZE "CheckResult"`);
  await rollUpResults(client, { now });
  await client.$executeRawUnsafe(`ANALYZE "CheckRollup"`);
  return { appId: app.id, monitorId: ids[0]!, results };
}

async function startWeb(database: BenchDatabase): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start.ts"), "--web-only"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      DECKHAND_DIST_DIR: DIST,
      DECKHAND_HOST: "127.0.0.1",
      PORT: String(port),
      DECKHAND_PUBLIC_URL: url,
      DECKHAND_DATA_DIR: path.join(root, ".data", "bench", `bundle-web-${process.pid}`),
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const keep = (c: Buffer) => {
    output = (output + c.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web app exited during start-up (code ${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, child, log: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill("SIGTERM");
  throw new Error(`the web app at ${url} did not answer /api/health within 120 s:\n${output}`);
}

// ---------- (b) in Chromium ----------

function chromiumPath(): string | undefined {
  return [process.env.DECKHAND_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p): p is string => !!p && existsSync(p));
}

async function signIn(browser: Browser, url: string): Promise<BrowserContextOptions["storageState"]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor({ timeout: 30_000 });
  const state = await context.storageState();
  await context.close();
  return state;
}

interface ScriptLoad {
  path: string;
  gzBytes: number;
  inHtml: boolean;
}

/** One cold load: the scripts Chromium fetched (gzipped here) until the network was quiet, and the LCP. */
interface Load {
  lcp: number;
  /** Time to the document's first byte and to first contentful paint, ms from navigation start. */
  ttfb: number;
  fcp: number;
  /** When the last stylesheet and the last script the page fetched had arrived, ms from navigation start. */
  cssEnd: number;
  jsEnd: number;
  /** The document's body as sent (compressed when the server compressed it) and decoded, bytes. */
  htmlSent: number;
  htmlBytes: number;
  element: string;
  scripts: ScriptLoad[];
  status: number;
}

async function loadOnce(browser: Browser, storageState: BrowserContextOptions["storageState"], url: string, opts: { saveHtml?: string } = {}): Promise<Load> {
  const context = await browser.newContext({ storageState });
  const page: Page = await context.newPage();
  const bodies: Promise<{ path: string; gzBytes: number } | null>[] = [];
  page.on("response", (res) => {
    if (res.request().resourceType() !== "script") return;
    bodies.push(
      res.body().then(
        (b) => ({ path: new URL(res.url()).pathname, gzBytes: gzipSync(b, { level: 9 }).length }),
        () => null,
      ),
    );
  });
  try {
    const res = await page.goto(url, { waitUntil: "load" });
    const html = res ? await res.text() : "";
    const named = new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, "&"), url).pathname));
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    const { lcp, element, ttfb, fcp, cssEnd, jsEnd, htmlSent, htmlBytes } = await page.evaluate(
      () =>
        new Promise<{ lcp: number; element: string; ttfb: number; fcp: number; cssEnd: number; jsEnd: number; htmlSent: number; htmlBytes: number }>((resolve) => {
          let last: (PerformanceEntry & { element?: Element | null; size?: number }) | undefined;
          new PerformanceObserver((list) => {
            const entries = list.getEntries();
            last = entries[entries.length - 1];
          }).observe({ type: "largest-contentful-paint", buffered: true });
          // The buffered entries arrive in a task of their own; a later, larger paint would have come by now.
          setTimeout(() => {
            const el = last?.element;
            const what = el ? `<${el.tagName.toLowerCase()}> "${(el.textContent ?? "").trim().slice(0, 40)}"` : "no element";
            const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
            const fcpEntry = performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint");
            const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
            // No named function here: tsx compiles one with a __name() helper the page does not have.
            const ends = [".css", ".js"].map((ext) => Math.max(0, ...resources.filter((r) => new URL(r.name).pathname.endsWith(ext)).map((r) => r.responseEnd)));
            resolve({
              cssEnd: ends[0]!,
              jsEnd: ends[1]!,
              lcp: last ? last.startTime : Number.NaN,
              element: what,
              ttfb: nav ? nav.responseStart : Number.NaN,
              fcp: fcpEntry ? fcpEntry.startTime : Number.NaN,
              htmlSent: nav ? nav.encodedBodySize : Number.NaN,
              htmlBytes: nav ? nav.decodedBodySize : Number.NaN,
            });
          }, 300);
        }),
    );
    const scripts = (await Promise.all(bodies)).filter((s): s is { path: string; gzBytes: number } => s !== null).map((s) => ({ ...s, inHtml: named.has(s.path) }));
    if (opts.saveHtml) {
      mkdirSync(path.dirname(opts.saveHtml), { recursive: true });
      writeFileSync(opts.saveHtml, html);
    }
    return { lcp, element, ttfb, fcp, cssEnd, jsEnd, htmlSent, htmlBytes, scripts, status: res?.status() ?? 0 };
  } finally {
    await context.close();
  }
}

// ---------- main ----------

async function main(): Promise<number> {
  await ensureBuild();
  let failed = false;

  const { routes, rootMain } = firstLoadBundles();
  say(`\n(a) first-load JavaScript per page route, from ${DIST}'s manifests (gzip level 9; budget ${kB(BUDGET_BYTES)}, 1 kB = 1,000 B)`);
  say(`  every page loads the runtime: ${rootMain.map((f) => `${path.basename(f)} ${kB(gzSize(f))}`).join(", ")} = ${kB(rootMain.reduce((a, f) => a + gzSize(f), 0))}`);
  const width = Math.max(...routes.map((r) => r.route.length));
  for (const r of routes) {
    const over = r.gzBytes > BUDGET_BYTES;
    failed ||= over;
    say(`  ${r.route.padEnd(width)}  ${kB(r.gzBytes).padStart(9)}  ${over ? `FAIL (biggest: ${biggest(r, 3)})` : "PASS"}`);
  }
  const worst = routes.reduce((a, b) => (b.gzBytes > a.gzBytes ? b : a));
  say(`  largest: ${worst.route} ${kB(worst.gzBytes)}`);
  if (flags["skip-browser"]) return failed ? 1 : 0;

  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("no Chromium found (set DECKHAND_CHROMIUM, or apt-get install chromium), or run with --skip-browser");
  const database = await startBenchDatabase("bundle", { say });
  let web: Awaited<ReturnType<typeof startWeb>> | null = null;
  let browser: Browser | null = null;
  const dispose = async () => {
    await browser?.close().catch(() => undefined);
    if (web && web.child.exitCode === null) {
      const exited = new Promise((r) => web!.child.once("exit", r));
      web.child.kill("SIGTERM");
      await exited;
    }
    const { db } = await import("../lib/db/client");
    await db()
      .$disconnect()
      .catch(() => undefined);
    if (!flags.keep) await database.dispose();
  };
  process.on("SIGINT", () => void dispose().then(() => process.exit(130)));
  try {
    await useBenchDatabase(database);
    const t = performance.now();
    const seeded = await seed();
    say(`  seeded: ${MONITORS} monitors × ${DAYS} days at 60 s (${seeded.results.toLocaleString("en")} results, rolled up), an app with ${Math.floor(DAYS / 9)} releases and deploys, in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    web = await startWeb(database);
    say(`  web app (${DIST}) at ${web.url}; Chromium ${executablePath}`);
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"] });
    const storageState = await signIn(browser, web.url);

    const pages = [
      { label: "overview", url: "/", route: "/" },
      { label: "app page", url: `/apps/${seeded.appId}`, route: "/apps/[appId]" },
      { label: "monitor page (90 d)", url: `/monitors/${seeded.monitorId}?range=90d`, route: "/monitors/[id]" },
    ];
    const measured: { label: string; loads: Load[]; first: ScriptLoad[]; manifest: RouteBundle | undefined }[] = [];
    for (const p of pages) {
      // The warm-up load's document is kept, to see what a page sends: test-results/bench-bundle/<page>.html.
      const warm = await loadOnce(browser, storageState, `${web.url}${p.url}`, { saveHtml: path.join(root, "test-results", "bench-bundle", `${p.label.split(" ")[0]}.html`) });
      if (warm.status !== 200) throw new Error(`${p.url} answered ${warm.status}`);
      const loads: Load[] = [];
      for (let i = 0; i < RUNS; i++) loads.push(await loadOnce(browser, storageState, `${web.url}${p.url}`));
      measured.push({ label: p.label, loads, first: warm.scripts, manifest: routes.find((r) => r.route === p.route) });
    }

    say(`\n  cross-check in Chromium: the scripts of one load, gzipped here (level 9)`);
    for (const m of measured) {
      const inHtml = m.first.filter((s) => s.inHtml);
      const later = m.first.filter((s) => !s.inHtml);
      const sum = (xs: ScriptLoad[]) => xs.reduce((a, s) => a + s.gzBytes, 0);
      const listed = new Set((m.manifest?.files ?? []).map((f) => `/_next/${f}`));
      const missing = [...listed].filter((f) => !inHtml.some((s) => s.path === f));
      const extra = inHtml.filter((s) => !listed.has(s.path));
      say(
        `  ${m.label.padEnd(20)} named by the HTML: ${inHtml.length} scripts ${kB(sum(inHtml))} (manifest figure ${m.manifest ? kB(m.manifest.gzBytes) : "n/a"}` +
          `${missing.length ? `; listed but not loaded: ${missing.map((f) => path.basename(f)).join(", ")}` : ""}${extra.length ? `; loaded but not listed: ${extra.map((s) => path.basename(s.path)).join(", ")}` : ""}); ` +
          `loaded after: ${later.length} scripts ${kB(sum(later))}`,
      );
    }

    say(`\n(b) Largest Contentful Paint in Chromium, signed in, cold cache, median of ${RUNS} loads (target < ${LCP_BUDGET_MS} ms)`);
    for (const m of measured) {
      const med = (f: (l: Load) => number) => quantileOf(m.loads.map(f), 0.5);
      const median = med((l) => l.lcp);
      const ok = median < LCP_BUDGET_MS;
      failed ||= !ok;
      say(
        `  ${m.label.padEnd(20)} ${`${median.toFixed(0)} ms`.padStart(7)}  ${ok ? "PASS" : "FAIL"}  (loads: ${m.loads.map((l) => l.lcp.toFixed(0)).join(", ")} ms; ` +
          `median first byte ${med((l) => l.ttfb).toFixed(0)} ms, CSS in ${med((l) => l.cssEnd).toFixed(0)} ms, scripts in ${med((l) => l.jsEnd).toFixed(0)} ms, first paint ${med((l) => l.fcp).toFixed(0)} ms; HTML ${kB(med((l) => l.htmlBytes))} (${kB(med((l) => l.htmlSent))} sent); LCP element ${m.loads.at(-1)!.element})`,
      );
    }
    if (flags.keep) say(`\nkept: ${database.url}`);
    return failed ? 1 : 0;
  } finally {
    await dispose();
  }
}

mkdirSync(path.join(root, ".data", "bench"), { recursive: true });
runBench("bench:bundle", main);
