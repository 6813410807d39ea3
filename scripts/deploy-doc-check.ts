/**
 * `npm run docs:check`: runs docs/deploy.md's commands for real, over SSH, against a throwaway sshd on
 * this machine standing in for the server, with a throwaway PostgreSQL cluster as the server's database,
 * through a first install, a backup, a restore, an upgrade, a rollback and the log settings — and checks
 * the outcome between them. Everything it has to change to do that on a shared machine is printed.
 *
 *   --reuse-build   the first release copies this checkout's `.next` build instead of `npm run build`
 *                   (the second release always copies the first's)
 *   --keep          keep the temporary root (releases, logs, the session scripts) for a look afterwards
 *
 * Needs root (it creates the `deckhand` system user, switches users and runs sshd and PostgreSQL, as the
 * doc does), OpenSSH's sshd, git, systemd-analyze, and Debian's PostgreSQL server binaries, and no real
 * `deckhand` user on the machine. Without them it exits with code 3 (CANNOT_RUN_HERE) and says what is
 * missing, before changing anything; `npm test` counts that as one skipped test.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { DOC_SESSIONS, parseDeployDoc, type DocBlock } from "../test/harness/deploy-doc";
import { startSshd, type TestSshd } from "../test/harness/sshd";

const root = path.resolve(import.meta.dirname, "..");
/** The exit code for "this machine cannot run the check" (as opposed to 1: the check ran and failed). */
const CANNOT_RUN_HERE = 3;
const args = new Set(process.argv.slice(2));
const reuseBuild = args.has("--reuse-build");
const keep = args.has("--keep");
const started = Date.now();

const say = (m: string) => process.stdout.write(`[docs:check] ${m}\n`);
const substituted = new Set<string>();
let checksPassed = 0;
let blocksRun = 0;
const blocksSeen = new Set<string>();

class CheckFailed extends Error {}

function check(ok: boolean, what: string, detail = ""): void {
  if (!ok) throw new CheckFailed(`${what}${detail ? `: ${detail}` : ""}`);
  checksPassed++;
  say(`ok: ${what}`);
}

function run(cmd: string, cmdArgs: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): string {
  const r = spawnSync(cmd, cmdArgs, { encoding: "utf8", env: opts.env ?? process.env, cwd: opts.cwd, input: opts.input });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(" ")} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || String(r.error)).trim()}`);
  return r.stdout;
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

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port });
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function uidOf(user: string): number | null {
  const r = spawnSync("id", ["-u", user], { encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

// ---- preflight -------------------------------------------------------------------------------------

if (os.userInfo().uid !== 0) {
  process.stderr.write("[docs:check] needs root: the doc creates a system user, switches users and runs services, and so does its check\n");
  process.exit(CANNOT_RUN_HERE);
}
const pgBin = ["/usr/lib/postgresql"]
  .flatMap((base) =>
    existsSync(base)
      ? readdirSync(base)
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => path.join(base, v, "bin"))
      : [],
  )
  .find((d) => existsSync(path.join(d, "initdb")));
for (const [what, ok] of [
  ["/usr/sbin/sshd (openssh-server)", existsSync("/usr/sbin/sshd")],
  ["git", spawnSync("git", ["--version"]).status === 0],
  ["systemd-analyze (systemd)", spawnSync("systemd-analyze", ["--version"]).status === 0],
  ["PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin (postgresql)", pgBin !== undefined],
  ["a postgres system user (postgresql)", uidOf("postgres") !== null],
] as const) {
  if (!ok) {
    process.stderr.write(`[docs:check] missing: ${what}\n`);
    process.exit(CANNOT_RUN_HERE);
  }
}
const systemdIsInit = readFileSync("/proc/1/comm", "utf8").trim() === "systemd";
const existingHome = spawnSync("getent", ["passwd", "deckhand"], { encoding: "utf8" }).stdout.split(":")[5];
if (existingHome && !existingHome.startsWith("/tmp/deckhand-doccheck-")) {
  process.stderr.write(`[docs:check] a real "deckhand" user exists here (home ${existingHome}): this check creates and removes its own, so it will not run on this machine\n`);
  process.exit(CANNOT_RUN_HERE);
}
if (existingHome) spawnSync("userdel", ["deckhand"]); // left behind by an earlier check that was killed

// ---- the stand-in server ------------------------------------------------------------------------------

const T = mkdtempSync("/tmp/deckhand-doccheck-");
chmodSync(T, 0o755);
const children: { name: string; kill(): void }[] = [];
let sshd: TestSshd | undefined;
let createdUser = false;
let pgStarted = false;
const pgData = path.join(T, "pg");
const sessionEnv = { ...process.env, DECKHAND_DOCCHECK_ROOT: T };

function snapshotRepository(): string {
  const src = path.join(T, "src");
  const files = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root }).split("\0").filter(Boolean);
  for (const f of files) {
    const from = path.join(root, f);
    if (!existsSync(from) || !statSync(from).isFile()) continue;
    mkdirSync(path.dirname(path.join(src, f)), { recursive: true });
    cpSync(from, path.join(src, f));
  }
  const git = (...a: string[]) => run("git", ["-c", "user.name=docs-check", "-c", "user.email=docs-check@localhost", "-C", src, ...a]);
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "working tree snapshot for docs:check");
  run("git", ["clone", "-q", "--bare", src, path.join(T, "git", "deckhand.git")]);
  return git("rev-parse", "HEAD").trim();
}

function newCommit(): string {
  const src = path.join(T, "src");
  writeFileSync(path.join(src, "README.md"), readFileSync(path.join(src, "README.md"), "utf8") + "\n<!-- upgrade made by docs:check -->\n");
  const git = (...a: string[]) => run("git", ["-c", "user.name=docs-check", "-c", "user.email=docs-check@localhost", "-C", src, ...a]);
  git("commit", "-q", "-am", "a second release for docs:check");
  git("push", "-q", path.join(T, "git", "deckhand.git"), "main");
  return git("rev-parse", "HEAD").trim();
}

async function startGitDaemon(): Promise<number> {
  const port = await freePort();
  const daemon = spawn("git", ["daemon", "--reuseaddr", "--export-all", `--base-path=${path.join(T, "git")}`, "--listen=127.0.0.1", `--port=${port}`, "--informative-errors", path.join(T, "git")], { stdio: "ignore" });
  children.push({ name: "git daemon", kill: () => daemon.kill("SIGTERM") });
  await waitForPort(port, 10_000);
  return port;
}

async function startPostgres(): Promise<number> {
  const port = await freePort();
  const postgresUid = uidOf("postgres")!;
  const socketDir = path.join(T, "pgsock");
  for (const d of [pgData, socketDir]) {
    mkdirSync(d, { mode: 0o700 });
    chownSync(d, postgresUid, statSync("/").gid);
  }
  run("runuser", ["-u", "postgres", "--", path.join(pgBin!, "initdb"), "-D", pgData, "-U", "postgres", "-A", "peer", "--auth-host=scram-sha-256", "-E", "UTF8"]);
  run("runuser", ["-u", "postgres", "--", path.join(pgBin!, "pg_ctl"), "-D", pgData, "-l", path.join(pgData, "server.log"), "-w", "-t", "60", "-o", `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1`, "start"]);
  pgStarted = true;
  return port;
}

// ---- the doc's blocks, adapted ----------------------------------------------------------------------------

interface Context {
  pgPort: number;
  webPort: number;
  gitPort: number;
  adminPassword: string;
  /** Which release this session makes (1: first install, 2: upgrade). */
  release: number;
  firstRelease?: string;
}

const MAPPED_PATHS = /(?<![\w./-])(\/opt\/deckhand|\/etc\/deckhand|\/etc\/systemd\/system|\/etc\/systemd\/journald\.conf\.d|\/usr\/local\/sbin\/deckhand-backup|\/var\/backups\/deckhand)/g;

function replaceRequired(block: DocBlock, text: string, pattern: RegExp | string, by: string, why: string): string {
  const matched = typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);
  if (!matched) throw new CheckFailed(`docs/deploy.md block "${block.name}" no longer contains ${String(pattern)}: update the check with the doc`);
  substituted.add(why);
  return typeof pattern === "string" ? text.replace(pattern, by) : text.replace(pattern, by);
}

function adapt(block: DocBlock, ctx: Context): string {
  let text = block.text.replace(MAPPED_PATHS, (p) => {
    substituted.add(`paths under ${T} instead of /opt/deckhand, /etc/deckhand, /etc/systemd, /usr/local/sbin and /var/backups/deckhand`);
    return T + p;
  });
  if (text.includes("127.0.0.1:5432")) {
    substituted.add(`PostgreSQL: a throwaway ${path.basename(path.dirname(pgBin!))} cluster on 127.0.0.1:${ctx.pgPort} (socket via PGHOST/PGPORT) instead of the Debian service on 5432`);
    text = text.replaceAll("127.0.0.1:5432", `127.0.0.1:${ctx.pgPort}`);
  }
  if (/PORT=3000|localhost:3000/.test(text)) {
    substituted.add(`web port ${ctx.webPort} instead of 3000`);
    text = text.replaceAll("PORT=3000", `PORT=${ctx.webPort}`).replaceAll("localhost:3000", `localhost:${ctx.webPort}`);
  }
  switch (block.name) {
    case "prerequisites":
      text = replaceRequired(block, text, /^apt-get update$/m, ": apt-get update", "apt-get update skipped and apt-get install replaced by dpkg-query (the packages must already be installed)");
      text = replaceRequired(block, text, /^apt-get install -y (.+)$/m, "dpkg-query -W $1 >/dev/null", "apt-get update skipped and apt-get install replaced by dpkg-query (the packages must already be installed)");
      break;
    case "release": {
      text = replaceRequired(block, text, /^REPO=.*$/m, `REPO=git://127.0.0.1:${ctx.gitPort}/deckhand.git`, `the repository: a snapshot of this working tree served by git daemon on 127.0.0.1:${ctx.gitPort}`);
      text = replaceRequired(block, text, "as_deckhand npm ci --no-audit --no-fund", `as_deckhand cp -a ${root}/node_modules node_modules`, `npm ci replaced by a copy of ${root}/node_modules (same package-lock.json)`);
      const buildFrom = ctx.release === 1 ? (reuseBuild ? root : null) : ctx.firstRelease!;
      if (buildFrom) {
        text = replaceRequired(
          block,
          text,
          "as_deckhand npm run build",
          `as_deckhand npx prisma generate && as_deckhand cp -a ${buildFrom}/.next .next && as_deckhand npx tsx scripts/stamp-build.ts`,
          ctx.release === 1
            ? `release 1: npm run build replaced by prisma generate + a copy of ${root}/.next + the build stamp (--reuse-build)`
            : "release 2: npm run build replaced by prisma generate + a copy of release 1's build + the build stamp",
        );
      }
      break;
    }
    case "first-admin":
      text = replaceRequired(block, text, /^read -rsp .* ADMIN_PASSWORD; echo$/m, `ADMIN_PASSWORD='${ctx.adminPassword}'`, "the admin password prompt answered by the check");
      break;
  }
  return text;
}

function sessionScript(blocks: { name: string; text: string }[]): string {
  const prelude = [
    "#!/bin/bash",
    "set -euo pipefail",
    `export DECKHAND_DOCCHECK_ROOT=${T}`,
    `export PATH=${path.join(T, "standin-bin")}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    `export PGHOST=${path.join(T, "pgsock")} PGPORT=${pgPort}`,
    "cd ~",
  ];
  const body = blocks.flatMap((b) => [`echo; echo "== ${b.name} =="`, `cat <<'__DOC_CHECK_SHOW__'`, b.text.trimEnd(), "__DOC_CHECK_SHOW__", "echo ---", b.text.trimEnd()]);
  return [...prelude, ...body, ""].join("\n");
}

function ssh(command: string, input?: string, timeoutMs = 600_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "ssh",
      [
        "-i",
        sshd!.privateKeyPath,
        "-p",
        String(sshd!.port),
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        `UserKnownHostsFile=${path.join(T, "known_hosts")}`,
        "-o",
        "LogLevel=ERROR",
        `${sshd!.username}@127.0.0.1`,
        command,
      ],
      { stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] },
    );
    let output = "";
    const onData = (c: Buffer) => {
      output += c.toString();
      for (const line of c
        .toString()
        .split("\n")
        .filter((l) => l.length > 0))
        process.stdout.write(`  | ${line}\n`);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    if (input !== undefined) child.stdin!.end(input);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

let pgPort = 0;
let sessionNumber = 0;

/** Uploads the session's script to the "server" and runs it there in one login, as an operator would type it. */
async function runSession(name: string, blocks: { name: string; text: string }[], timeoutMs: number): Promise<string> {
  sessionNumber++;
  const remote = path.join(T, "sessions", `${sessionNumber}-${name.replace(/\W+/g, "-")}.sh`);
  say(`session ${sessionNumber}: ${name} (${blocks.map((b) => b.name).join(", ")})`);
  const upload = await ssh(`mkdir -p ${path.dirname(remote)} && cat > ${remote}`, sessionScript(blocks));
  if (upload.code !== 0) throw new Error(`could not upload the session script: ${upload.output}`);
  const t0 = Date.now();
  const r = await ssh(`bash ${remote}`, undefined, timeoutMs);
  if (r.code !== 0) throw new CheckFailed(`session "${name}" failed (exit ${r.code}); see the output above and ${remote}`);
  say(`session ${sessionNumber} done in ${Math.round((Date.now() - t0) / 1000)} s`);
  for (const b of blocks.filter((b) => !b.name.startsWith("check:"))) {
    blocksRun++;
    blocksSeen.add(b.name);
  }
  return r.output;
}

// ---- what the check looks at between sessions -------------------------------------------------------------

function standin(...a: string[]): { code: number; out: string } {
  const r = spawnSync(path.join(T, "standin-bin", "systemctl"), a, { encoding: "utf8", env: sessionEnv });
  return { code: r.status ?? 1, out: (r.stdout + r.stderr).trim() };
}

function currentRelease(): string {
  return realpathSync(path.join(T, "opt", "deckhand", "current"));
}

/** The working folders of a stand-in service's processes: which release it really runs. */
function serviceCwds(unit: string): string[] {
  const pidFile = path.join(T, "standin", "run", `${unit}.pid`);
  if (!existsSync(pidFile)) return [];
  const group = readFileSync(pidFile, "utf8").trim();
  const cwds = new Set<string>();
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2] !== group) continue;
      cwds.add(readlinkSync(`/proc/${entry}/cwd`));
    } catch {
      // gone while we looked
    }
  }
  return [...cwds];
}

const HEALTHY = '200 {"status":"ok","db":"ok","worker":"ok"}';

async function health(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(5_000) });
  return `${res.status} ${await res.text()}`;
}

function databaseUrl(): string {
  const line = readFileSync(path.join(T, "etc", "deckhand", "env"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("DATABASE_URL="));
  return line!.slice("DATABASE_URL=".length);
}

async function query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function checkServing(release: string, webPort: number): Promise<void> {
  check(currentRelease() === release, `current points at ${path.basename(release)}`, `it points at ${currentRelease()}`);
  for (const unit of ["deckhand-web", "deckhand-worker"]) {
    check(standin("is-active", unit).code === 0, `${unit} is running`);
    check(serviceCwds(unit).includes(release), `${unit} runs in ${path.basename(release)}`, serviceCwds(unit).join(", "));
  }
  // The worker reports every 5 s: give a just-started one a moment to say it is alive.
  let answer = await health(webPort);
  for (let i = 0; i < 20 && answer !== HEALTHY; i++) answer = await new Promise((r) => setTimeout(r, 500)).then(() => health(webPort));
  check(answer === HEALTHY, `/api/health answers 200 ok, with a worker, on port ${webPort}`, answer);
}

// ---- the run --------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const blocks = new Map(parseDeployDoc().blocks.map((b) => [b.name, b]));
  for (const d of ["etc/systemd/system", "usr/local/sbin", "standin-bin", "sessions", "git"]) mkdirSync(path.join(T, d), { recursive: true });
  for (const tool of ["systemctl", "journalctl"]) cpSync(path.join(root, "scripts", "doc-check", tool), path.join(T, "standin-bin", tool));
  substituted.add(
    systemdIsInit
      ? "systemd is PID 1 here, but systemctl/journalctl are still the stand-in (scripts/doc-check/), so the check never installs services on this machine"
      : "systemd is not PID 1 here (a container): systemctl/journalctl replaced by the stand-in in scripts/doc-check/ (units checked with systemd-analyze verify, ExecStart run as User in WorkingDirectory with EnvironmentFile)",
  );
  if (reuseBuild && !existsSync(path.join(root, ".next", "BUILD_ID"))) throw new CheckFailed("--reuse-build: this checkout has no build in .next (run npm run build)");

  say(`temporary root ${T}`);
  const sha1 = snapshotRepository();
  const gitPort = await startGitDaemon();
  pgPort = await startPostgres();
  sshd = await startSshd({ logLevel: "ERROR" });
  const keyscan = run("ssh-keyscan", ["-p", String(sshd.port), "-t", "ed25519", "127.0.0.1"]);
  writeFileSync(path.join(T, "known_hosts"), keyscan);
  check(run("ssh-keygen", ["-l", "-f", path.join(T, "known_hosts")]).includes(sshd.hostKeyFingerprint), "the stand-in server's host key is pinned for ssh");
  substituted.add(`the server: sshd on 127.0.0.1:${sshd.port} (test/harness/sshd.ts), logged in as root's alias ${sshd.username}`);

  const ctx: Context = { pgPort, webPort: await freePort(), gitPort, adminPassword: `docs-check-${Math.random().toString(36).slice(2, 12)}`, release: 1 };
  const pick = (names: string[]) =>
    names.map((n) => {
      const b = blocks.get(n);
      if (!b) throw new CheckFailed(`docs/deploy.md has no block "${n}"`);
      return { name: n, text: adapt(b, ctx) };
    });
  const sessionBlocks = (name: string) => DOC_SESSIONS.find((s) => s.name === name)!.blocks;
  const longTimeout = reuseBuild ? 300_000 : 900_000;

  // First install.
  createdUser = true; // the doc's user block creates it; cleaned up even if the session fails half-way
  const install = await runSession("first install", pick(sessionBlocks("first install")), longTimeout);
  const release1 = currentRelease();
  check(new RegExp(`/releases/\\d{14}-${sha1.slice(0, 7)}$`).test(release1), `release 1 is releases/<UTC timestamp>-${sha1.slice(0, 7)}`, release1);
  const envStat: Stats = statSync(path.join(T, "etc", "deckhand", "env"));
  check((envStat.mode & 0o777) === 0o600 && envStat.uid === 0, "/etc/deckhand/env is root's, mode 0600", (envStat.mode & 0o777).toString(8));
  check(/^0 FAIL, \d+ WARN, \d+ OK$/m.test(install), "deckhand doctor passed in the smoke test");
  check(install.includes('{"status":"ok","db":"ok",'), "npm run smoke and the health check printed a healthy answer");
  await checkServing(release1, ctx.webPort);
  const admins = await query<{ role: string }>(`SELECT role FROM "User" WHERE email = 'admin@example.com'`);
  check(admins.length === 1 && admins[0]!.role === "admin", "the first admin exists");
  check(!readFileSync(path.join(T, "standin", "logs", "deckhand-web.log"), "utf8").includes("building the web app"), "the web service served the build as it was (no build at start)");

  // Backup, then a change the restore must undo.
  await runSession("backup", pick(sessionBlocks("backup")), 120_000);
  const dumps = () => readdirSync(path.join(T, "var", "backups", "deckhand")).filter((f) => /^deckhand-\d{8}T\d{6}Z\.dump$/.test(f));
  check(dumps().length === 1, "one backup written by deckhand-backup");
  const usersAtBackup = (await query<{ email: string }>(`SELECT email FROM "User" ORDER BY email`)).map((u) => u.email);
  const [{ n: auditAtBackup }] = (await query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent"`)) as [{ n: string }];
  await runSession(
    "a change after the backup (the check's own)",
    [...pick(["helper"]), { name: "check: create late@example.com", text: `cd ${T}/opt/deckhand/current\nprintf '%s\\n' '${ctx.adminPassword}' | as_deckhand npx deckhand user create --email late@example.com --role viewer\n` }],
    120_000,
  );
  check((await query(`SELECT 1 FROM "User" WHERE email = 'late@example.com'`)).length === 1, "a user created after the backup exists before the restore");

  const restore = await runSession("restore", pick(sessionBlocks("restore")), 180_000);
  check(/audit chain intact: \d+ events/.test(restore), "the restored database's audit chain verifies");
  const usersAfter = (await query<{ email: string }>(`SELECT email FROM "User" ORDER BY email`)).map((u) => u.email);
  check(JSON.stringify(usersAfter) === JSON.stringify(usersAtBackup), "the restored database has exactly the users of the dump (the later one is gone)", usersAfter.join(", "));
  const [{ n: auditAfter }] = (await query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent"`)) as [{ n: string }];
  check(auditAfter === auditAtBackup, `the restored database has the dump's ${auditAtBackup} audit events`, auditAfter);
  check((await query(`SELECT 1 FROM pg_database WHERE datname IN ('deckhand_restore', 'deckhand_before_restore')`)).length === 0, "the replaced database was dropped and no restore database is left");
  await checkServing(release1, ctx.webPort);

  // Upgrade to a new commit, with old releases lying around for the cleanup.
  const sha2 = newCommit();
  const deckhandUid = uidOf("deckhand")!;
  const fakes = [1, 2, 3, 4, 5].map((i) => path.join(T, "opt", "deckhand", "releases", `2000010100000${i}-fake00${i}`));
  for (const f of fakes) {
    mkdirSync(f);
    chownSync(f, deckhandUid, deckhandUid);
  }
  ctx.release = 2;
  ctx.firstRelease = release1;
  const upgrade = await runSession("upgrade", pick(sessionBlocks("upgrade")), longTimeout);
  const release2 = currentRelease();
  check(release2 !== release1 && release2.endsWith(`-${sha2.slice(0, 7)}`), `release 2 is the new commit ${sha2.slice(0, 7)}`, release2);
  check(dumps().length === 2, "the upgrade took a backup first");
  check(/^0 FAIL, \d+ WARN, \d+ OK$/m.test(upgrade), "deckhand doctor passed in the upgrade's smoke test");
  await checkServing(release2, ctx.webPort);
  check(existsSync(release1), "the previous release is kept");
  check(fakes.map(existsSync).join() === "false,false,true,true,true", "cleanup kept the five newest releases and removed the older ones", fakes.map(existsSync).join());

  const rollback = await runSession("rollback", pick(sessionBlocks("rollback")), 180_000);
  await checkServing(release1, ctx.webPort);
  check(/^0 FAIL, \d+ WARN, \d+ OK$/m.test(rollback), "deckhand doctor passed after the rollback");

  const logs = await runSession("logs", pick(sessionBlocks("logs")), 60_000);
  check(existsSync(path.join(T, "etc", "systemd", "journald.conf.d", "deckhand.conf")), "the journald limits are in place");
  check(/deckhand-(web|worker): \{/.test(logs), "journalctl shows the services' JSON log lines");
}

async function cleanup(): Promise<void> {
  if (existsSync(path.join(T, "standin-bin", "systemctl"))) standin("stop", "deckhand-web", "deckhand-worker");
  if (pgStarted) spawnSync("runuser", ["-u", "postgres", "--", path.join(pgBin!, "pg_ctl"), "-D", pgData, "-m", "fast", "-w", "stop"], { stdio: "ignore" });
  for (const c of children) c.kill();
  await sshd?.stop();
  if (createdUser && uidOf("deckhand") !== null) {
    const r = spawnSync("userdel", ["deckhand"], { encoding: "utf8" });
    if (r.status !== 0) say(`could not remove the deckhand user: ${r.stderr.trim()}`);
  }
  if (keep) say(`kept ${T}`);
  else rmSync(T, { recursive: true, force: true });
}

let failure: unknown = null;
try {
  await main();
} catch (err) {
  failure = err;
} finally {
  await cleanup();
}
say("what the check changed to run the doc here:");
for (const s of substituted) say(`  - ${s}`);
const seconds = Math.round((Date.now() - started) / 1000);
if (failure) {
  say(`FAILED after ${seconds} s: ${failure instanceof Error ? (failure instanceof CheckFailed ? failure.message : (failure.stack ?? failure.message)) : String(failure)}`);
  process.exit(1);
}
say(`passed: all ${blocksSeen.size} command blocks of docs/deploy.md run (${blocksRun} runs in ${sessionNumber} SSH sessions), ${checksPassed} checks, ${seconds} s`);
process.exit(0);
