/**
 * `npm run bench:deploy`: Deckhand against the same work done by hand with OpenSSH, on real hosts (sshd in
 * network + mount namespaces on this machine; needs root, as the tests do).
 *
 *   rollback latency  request (the same action the Rollback button calls) → `current` switched on disk,
 *                     median of 20, as a ratio to one raw `ssh host 'ln -s … && mv -T …'` (median of 20)
 *   deploy overhead   Deckhand's deploy wall time minus the same commands in one raw `ssh` session per host,
 *                     for 1 server and for 10 servers in parallel (median of 5 each)
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), "deckhand-bench-"));
  chmodSync(work, 0o755);
  process.env.LOG_LEVEL ??= "warn";
  process.env.DECKHAND_SECRET ??= "bench-secret-bench-secret-bench-secret-0123456789";
  process.env.DECKHAND_HEALTH_RETRY_DELAY_MS ??= "200";

  const { migrateDatabase } = await import("../lib/db/migrate");
  const { startBenchDatabase } = await import("./support");
  const database = await startBenchDatabase("deploy");
  const url = database.url;
  process.env.DATABASE_URL = url;
  await migrateDatabase(url);

  const { db } = await import("../lib/db/client");
  const { startWorker } = await import("../lib/worker/worker");
  const { runAction } = await import("../lib/actions/core");
  const { startDeployAction, startRollbackAction } = await import("../lib/actions/deploys");
  const { createServer } = await import("../lib/servers/servers");
  const { createApp } = await import("../lib/apps/apps");
  const { startFleet, FLEET_ROOT } = await import("../test/harness/fleet");
  const { createTestRepo, demoRestartCommand } = await import("../test/harness/git-app");
  const layout = await import("../lib/deploy/layout");
  const { shellQuote } = await import("../lib/ssh/quote");

  const fleet = await startFleet(10);
  const repo = createTestRepo(2);
  const worker = await startWorker(url);
  const user = await db().user.create({ data: { email: "bench@example.test", passwordHash: "x", role: "deployer" } });
  const principal = { kind: "user" as const, id: user.id, email: user.email, name: null, role: "deployer" as const };
  const meta = { ip: "127.0.0.1", userAgent: "bench" };
  const keyFile = path.join(work, "key");
  writeFileSync(keyFile, fleet.hosts[0]!.privateKey, { mode: 0o600 });
  const sshArgs = (h: { host: string; port: number; username: string }) => [
    "-i",
    keyFile,
    "-p",
    String(h.port),
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "LogLevel=ERROR",
    `${h.username}@${h.host}`,
  ];

  const serverIds: string[] = [];
  for (const h of fleet.hosts) {
    const { server } = await createServer(db(), { name: h.name, host: h.host, port: h.port, username: h.username, privateKey: h.privateKey, hostKeyFingerprint: h.hostKeyFingerprint });
    serverIds.push(server.id);
  }
  const appFor = (name: string, targets: string[], port: number, light = false) => {
    const deployPath = `${FLEET_ROOT}/${name}`;
    if (light) {
      return createApp(db(), { name, repoUrl: repo.path, deployPath, keepReleases: 50, installCommand: "true", buildCommand: "true", smokeCommand: "true", restartCommand: "true", serverIds: targets, strategy: "parallel", batchSize: 1 });
    }
    return createApp(db(), {
      name,
      repoUrl: repo.path,
      deployPath,
      keepReleases: 50,
      installCommand: "true",
      buildCommand: "true",
      smokeCommand: "test -f server.js",
      restartCommand: demoRestartCommand(deployPath),
      healthUrl: `http://127.0.0.1:${port}/health`,
      serverIds: targets,
      strategy: "parallel",
      batchSize: 1,
      env: { PORT: String(port) },
    });
  };

  async function waitTerminal(id: string): Promise<string> {
    for (;;) {
      const d = await db().deploy.findUniqueOrThrow({ where: { id }, select: { status: true, error: true } });
      if (!["queued", "running"].includes(d.status)) {
        if (d.status !== "succeeded") throw new Error(`deploy ${id} ${d.status}: ${d.error}`);
        return d.status;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  async function timedDeploy(appId: string, ref: string): Promise<number> {
    const t0 = performance.now();
    const d = await runAction(startDeployAction, principal, { appId, ref }, meta);
    await waitTerminal(d.id);
    return performance.now() - t0;
  }

  // ---- rollback latency ----
  const one = await appFor("rb", [serverIds[0]!], 8101);
  await timedDeploy(one.id, repo.commits[0]!);
  await timedDeploy(one.id, repo.commits[1]!);
  const releases = await db().release.findMany({ where: { appId: one.id }, orderBy: { createdAt: "asc" } });
  const currentLink = path.join(fleet.hosts[0]!.root, "rb", "current");
  const rollbackTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const target = releases[i % 2]!;
    const before = readlinkSync(currentLink);
    const t0 = performance.now();
    const d = await runAction(startRollbackAction, principal, { appId: one.id, releaseId: target.id }, meta);
    while (readlinkSync(currentLink) === before) await new Promise((r) => setImmediate(r));
    rollbackTimes.push(performance.now() - t0);
    await waitTerminal(d.id);
  }
  const rawSwitch: number[] = [];
  const l = layout.layoutOf(`${FLEET_ROOT}/rb`);
  for (let i = 0; i < 20; i++) {
    const cmd = layout.switchCommand(l, releases[i % 2]!.dir, `raw${i}`);
    const t0 = performance.now();
    await run("ssh", [...sshArgs(fleet.hosts[0]!), cmd]);
    rawSwitch.push(performance.now() - t0);
  }
  await timedDeploy(one.id, repo.commits[1]!).catch(() => 0);

  // ---- deploy overhead, 1 and 10 servers ----
  const rawDeploy = async (hosts: typeof fleet.hosts, name: string, sha: string, n: number, port: number, light = false) => {
    const ll = layout.layoutOf(`${FLEET_ROOT}/${name}`);
    const dir = `${layout.releaseDirName(new Date(Date.now() + n * 1000), sha)}`;
    const script = [
      layout.prepareCommand(ll),
      `printf 'PORT=${port}\\n' > ${ll.shared}/.env`,
      layout.fetchCommand(ll, repo.path, sha, dir),
      layout.linkSharedCommand(ll, dir),
      `export PORT=${port}; cd ${ll.releases}/${dir} && true && true && test -f server.js`,
      layout.switchCommand(ll, dir, `raw${n}`),
      light ? "cd / && true" : `export PORT=${port}; cd ${ll.current}/ && { ${demoRestartCommand(`${FLEET_ROOT}/${name}`)}\n}`,
      light ? "true" : `for i in 1 2 3 4 5 6 7 8 9 10; do curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:${port}/health && break; sleep 0.2; done`,
      layout.listReleasesCommand(ll),
    ].join("\n");
    const t0 = performance.now();
    await Promise.all(hosts.map((h) => run("ssh", [...sshArgs(h), `sh -c ${shellQuote(script)}`])));
    return performance.now() - t0;
  };

  const results: Record<string, { deckhand: number; raw: number }> = {};
  const cases = [
    ["1 server", 1, false],
    ["10 servers", 10, false],
    ["1 server, light", 1, true],
    ["10 servers, light", 10, true],
  ] as const;
  for (const [label, count, light] of cases) {
    const targets = serverIds.slice(0, count);
    const port = 8100 + count;
    const tag = `${count}${light ? "l" : ""}`;
    const app = await appFor(`dep${tag}`, targets, port, light);
    const rawApp = `raw${tag}`;
    const hosts = fleet.hosts.slice(0, count);
    await timedDeploy(app.id, repo.commits[0]!); // warm caches (git objects, node)
    await rawDeploy(hosts, rawApp, repo.commits[0]!, 0, port + 100, light);
    const deckhand: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < 5; i++) {
      deckhand.push(await timedDeploy(app.id, repo.commits[(i + 1) % 2]!));
      raw.push(await rawDeploy(hosts, rawApp, repo.commits[(i + 1) % 2]!, i + 1, port + 100, light));
    }
    results[label] = { deckhand: median(deckhand), raw: median(raw) };
  }

  const rb = median(rollbackTimes);
  const rawRb = median(rawSwitch);
  const one1 = results["1 server"]!;
  const ten = results["10 servers"]!;
  const oneLight = results["1 server, light"]!;
  const tenLight = results["10 servers, light"]!;
  const lines = [
    "",
    "Deckhand deploy benchmark (real sshd hosts in namespaces on this machine; medians)",
    "",
    `rollback: request → current switched   ${ms(rb)}   (20 runs; min ${ms(Math.min(...rollbackTimes))}, max ${ms(Math.max(...rollbackTimes))})`,
    `raw ssh 'ln -s … && mv -T …'           ${ms(rawRb)}   (20 runs)`,
    `rollback ratio                         ${(rb / rawRb).toFixed(2)}   (target ≤ 1.0)`,
    "",
    `deploy, 1 server:   Deckhand ${ms(one1.deckhand)}, raw ssh ${ms(one1.raw)}, overhead ${ms(one1.deckhand - one1.raw)}   (target ≤ 500 ms)`,
    `deploy, 10 servers: Deckhand ${ms(ten.deckhand)}, raw ssh ${ms(ten.raw)}, overhead ${ms(ten.deckhand - ten.raw)}   (target ≤ 500 ms)`,
    `10 servers / 1 server (Deckhand)       ${(ten.deckhand / one1.deckhand).toFixed(2)}×   (target ≤ 1.3×; raw ssh: ${(ten.raw / one1.raw).toFixed(2)}×)`,
    `Deckhand / raw ssh at 10 servers       ${(ten.deckhand / ten.raw).toFixed(2)}×`,
    "",
    "light app (install/build/smoke/restart `true`, no health URL): what Deckhand itself adds, with little host work",
    `deploy, 1 server:   Deckhand ${ms(oneLight.deckhand)}, raw ssh ${ms(oneLight.raw)}, overhead ${ms(oneLight.deckhand - oneLight.raw)}`,
    `deploy, 10 servers: Deckhand ${ms(tenLight.deckhand)}, raw ssh ${ms(tenLight.raw)}, overhead ${ms(tenLight.deckhand - tenLight.raw)}`,
    `10 servers / 1 server (Deckhand)       ${(tenLight.deckhand / oneLight.deckhand).toFixed(2)}×   (raw ssh: ${(tenLight.raw / oneLight.raw).toFixed(2)}×)`,
    "",
    "All hosts share this machine's 2 cores: work on the hosts (git, node start-up) grows with their number here,",
    "which real servers would do in parallel on their own CPUs.",
    "",
  ];
  process.stdout.write(lines.join("\n"));

  await worker.stop();
  await db().$disconnect();
  await fleet.stop();
  repo.cleanup();
  await database.dispose();
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
