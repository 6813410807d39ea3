/**
 * `npm run bench:audit`: the audit log's first page, for every kind of filter, at 1,000,000 events.
 *
 * Starts its own embedded PostgreSQL under .data/bench/<run> on a free port (or, when DATABASE_URL is set,
 * creates a throwaway database on that server), applies the real migrations, generates the events in SQL,
 * ANALYZEs, then runs each filter's first page through lib/queries/audit.ts 21 times and prints the median.
 * Target: under 100 ms for each. Flags: --events <n> (default 1000000), --runs <n> (default 21), --keep
 * (leave the database and print its URL), --explain (print each filter's plans from auto_explain).
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { auditScope } from "../lib/auth/permissions";
import { quantileOf, runBench, startBenchDatabase, useBenchDatabase } from "./support";

const { values: flags } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    runs: { type: "string", default: "21" },
    keep: { type: "boolean", default: false },
    explain: { type: "boolean", default: false },
  },
});
const EVENTS = Number(flags.events);
const RUNS = Number(flags.runs);
const TARGET_MS = 100;
const say = (m: string) => process.stdout.write(`${m}\n`);

/** Postgres's own log lines, kept only for --explain (auto_explain writes the plans there). */
const serverLog: string[] = [];

/** ~30 actions with rough real-world weights; deploy events carry the app name as target name and appId in the summary. */
const ACTIONS: { action: string; weight: number; type: string; idPrefix: string; namePrefix: string; targets: number }[] = [
  { action: "deploy.start", weight: 160, type: "deploy", idPrefix: "dep", namePrefix: "shop-", targets: 0 },
  { action: "deploy.finish", weight: 160, type: "deploy", idPrefix: "dep", namePrefix: "shop-", targets: 0 },
  { action: "deploy.cancel", weight: 8, type: "deploy", idPrefix: "dep", namePrefix: "shop-", targets: 0 },
  { action: "deploy.rollback", weight: 20, type: "deploy", idPrefix: "dep", namePrefix: "shop-", targets: 0 },
  { action: "auth.signin", weight: 220, type: "user", idPrefix: "user", namePrefix: "user", targets: 50 },
  { action: "auth.signout", weight: 90, type: "user", idPrefix: "user", namePrefix: "user", targets: 50 },
  { action: "monitor.create", weight: 10, type: "monitor", idPrefix: "mon", namePrefix: "check-", targets: 40 },
  { action: "monitor.update", weight: 30, type: "monitor", idPrefix: "mon", namePrefix: "check-", targets: 40 },
  { action: "monitor.pause", weight: 15, type: "monitor", idPrefix: "mon", namePrefix: "check-", targets: 40 },
  { action: "app.create", weight: 5, type: "app", idPrefix: "app", namePrefix: "shop-", targets: 20 },
  { action: "app.update", weight: 40, type: "app", idPrefix: "app", namePrefix: "shop-", targets: 20 },
  { action: "app.secret_set", weight: 30, type: "app", idPrefix: "app", namePrefix: "shop-", targets: 20 },
  { action: "app.secret_remove", weight: 8, type: "app", idPrefix: "app", namePrefix: "shop-", targets: 20 },
  { action: "server.create", weight: 4, type: "server", idPrefix: "srv", namePrefix: "web-", targets: 15 },
  { action: "server.update", weight: 12, type: "server", idPrefix: "srv", namePrefix: "web-", targets: 15 },
  { action: "server.delete", weight: 2, type: "server", idPrefix: "srv", namePrefix: "web-", targets: 15 },
  { action: "server.host_key_pin", weight: 6, type: "server", idPrefix: "srv", namePrefix: "web-", targets: 15 },
  { action: "server.host_key_repin", weight: 1, type: "server", idPrefix: "srv", namePrefix: "web-", targets: 15 },
  { action: "key.add", weight: 3, type: "ssh_key", idPrefix: "key", namePrefix: "deploy-key-", targets: 8 },
  { action: "key.remove", weight: 1, type: "ssh_key", idPrefix: "key", namePrefix: "deploy-key-", targets: 8 },
  { action: "user.create", weight: 3, type: "user", idPrefix: "user", namePrefix: "user", targets: 50 },
  { action: "user.role_change", weight: 3, type: "user", idPrefix: "user", namePrefix: "user", targets: 50 },
  { action: "user.password_change", weight: 3, type: "user", idPrefix: "user", namePrefix: "user", targets: 50 },
  { action: "user.disable", weight: 1, type: "user", idPrefix: "user", namePrefix: "user", targets: 50 },
  { action: "token.create", weight: 4, type: "token", idPrefix: "tok", namePrefix: "ci-", targets: 10 },
  { action: "token.revoke", weight: 2, type: "token", idPrefix: "tok", namePrefix: "ci-", targets: 10 },
  { action: "notification.update", weight: 5, type: "channel", idPrefix: "chan", namePrefix: "slack-", targets: 5 },
  { action: "audit.verify", weight: 2, type: "audit", idPrefix: "audit", namePrefix: "chain", targets: 1 },
  { action: "audit.read", weight: 40, type: "audit", idPrefix: "audit", namePrefix: "chain", targets: 1 },
  { action: "settings.update", weight: 2, type: "settings", idPrefix: "set", namePrefix: "settings", targets: 1 },
];

function actionTableSql(): string {
  const total = ACTIONS.reduce((a, b) => a + b.weight, 0);
  let acc = 0;
  const rows = ACTIONS.map((a) => {
    const lo = acc / total;
    acc += a.weight;
    const hi = a === ACTIONS.at(-1) ? 1.0000001 : acc / total;
    return `('${a.action}', '${a.type}', '${a.idPrefix}', '${a.namePrefix}', ${a.targets}, ${lo}, ${hi})`;
  });
  return `CREATE TEMP TABLE bench_action (action text, target_type text, id_prefix text, name_prefix text, targets int, lo float8, hi float8);
INSERT INTO bench_action VALUES ${rows.join(",\n")};`;
}

/**
 * 50 users (5 admins, 30 deployers, 15 viewers) and 5 CI tokens; ~94% success, 4% failure, 2% denied;
 * 400 days, time rising with id as recordAudit guarantees. Hashes are synthetic (sha256 of the id): the
 * bench measures reads, and verify has its own tests.
 */
function generateSql(events: number): string {
  return `
SELECT setseed(0.4242);
${actionTableSql()}
INSERT INTO "AuditEvent" ("id", "at", "actorType", "actorId", "actorLabel", "actorRole", "ip", "userAgent", "action",
  "targetType", "targetId", "targetName", "outcome", "summary", "prevHash", "hash")
SELECT g.i,
  timestamp '2025-10-22 00:00:00' + (g.i * (400 * 86400.0 / ${events})) * interval '1 second',
  CASE WHEN g.k < 50 THEN 'user' ELSE 'token' END,
  CASE WHEN g.k < 50 THEN 'user' || lpad(g.k::text, 2, '0') ELSE 'tok' || (g.k - 50) END,
  CASE WHEN g.k < 50 THEN 'user' || lpad(g.k::text, 2, '0') || '@example.com' ELSE 'token ci-' || (g.k - 50) END,
  CASE WHEN g.k < 5 THEN 'admin' WHEN g.k < 35 THEN 'deployer' WHEN g.k < 50 THEN 'viewer' ELSE 'deployer' END,
  '10.0.' || g.k || '.' || (1 + g.i % 200),
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
  a.action,
  a.target_type,
  CASE WHEN a.targets = 0 THEN a.id_prefix || (g.i / 2) ELSE a.id_prefix || lpad(floor(g.rt * a.targets)::text, 2, '0') END,
  CASE WHEN a.targets = 0 THEN a.name_prefix || lpad(((g.i / 2) % 20)::text, 2, '0')
       WHEN a.id_prefix = 'user' THEN 'user' || lpad(floor(g.rt * a.targets)::text, 2, '0') || '@example.com'
       ELSE a.name_prefix || lpad(floor(g.rt * a.targets)::text, 2, '0') END,
  (CASE WHEN g.ro < 0.94 THEN 'success' WHEN g.ro < 0.98 THEN 'failure' ELSE 'denied' END)::"AuditOutcome",
  CASE WHEN a.targets = 0 THEN jsonb_build_object('appId', 'app' || lpad(((g.i / 2) % 20)::text, 2, '0'), 'ref', 'main')
       ELSE jsonb_build_object('note', 'bench') END,
  encode(sha256(convert_to((g.i - 1)::text, 'UTF8')), 'hex'),
  encode(sha256(convert_to(g.i::text, 'UTF8')), 'hex')
FROM (
  SELECT i, random() AS ra, floor(random() * 55)::int AS k, random() AS rt, random() AS ro
  FROM generate_series(1, ${events}) AS i
) g
JOIN bench_action a ON g.ra >= a.lo AND g.ra < a.hi;
SELECT setval(pg_get_serial_sequence('"AuditEvent"', 'id'), ${events});
`;
}

const median = (xs: number[]) => quantileOf(xs, 0.5);

async function main(): Promise<number> {
  const database = await startBenchDatabase("audit", { onLog: (m) => serverLog.push(m), say });
  let disposed = false;
  const dispose = async () => {
    if (disposed || flags.keep) return;
    disposed = true;
    const { db } = await import("../lib/db/client");
    await db()
      .$disconnect()
      .catch(() => undefined);
    await database.dispose();
  };
  process.on("SIGINT", () => void dispose().then(() => process.exit(130)));
  try {
    await useBenchDatabase(database);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    let t = performance.now();
    await client.query("SET maintenance_work_mem = '256MB'");
    await client.query(generateSql(EVENTS));
    say(`generated ${EVENTS.toLocaleString("en")} events in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    await client.query(`VACUUM ANALYZE "AuditEvent"`);
    say(`VACUUM ANALYZE in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const size = await client.query<{ table: string; indexes: string }>(`SELECT pg_size_pretty(pg_table_size('"AuditEvent"')) AS table, pg_size_pretty(pg_indexes_size('"AuditEvent"')) AS indexes`);
    const trgm = await client.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'AuditEvent_search_trgm_idx'`);
    say(`table ${size.rows[0]!.table}, indexes ${size.rows[0]!.indexes}; trigram index: ${trgm.rowCount ? "yes" : "no (pg_trgm unavailable)"}`);
    if (flags.explain) {
      await client.query(`ALTER DATABASE "${new URL(database.url).pathname.slice(1)}" SET session_preload_libraries = 'auto_explain'`);
      await client.query(`ALTER DATABASE "${new URL(database.url).pathname.slice(1)}" SET auto_explain.log_min_duration = 0`);
      await client.query(`ALTER DATABASE "${new URL(database.url).pathname.slice(1)}" SET auto_explain.log_analyze = on`);
      await client.query(`ALTER DATABASE "${new URL(database.url).pathname.slice(1)}" SET auto_explain.log_buffers = on`);
    }
    const sample = await client.query<{ targetId: string }>(`SELECT "targetId" FROM "AuditEvent" WHERE "targetType" = 'deploy' AND "id" > $1 ORDER BY "id" LIMIT 1`, [Math.floor(EVENTS * 0.3)]);
    const sampleDeploy = sample.rows[0]?.targetId ?? "dep1";
    await client.end();

    const { auditFilterSchema } = await import("../lib/actions/schemas/audit");
    const { listAuditEvents, getAuditHead, listAuditActionNames, listAuditActorLabels } = await import("../lib/queries/audit");
    const admin = { kind: "user" as const, id: "user00", email: "user00@example.com", name: null, role: "admin" as const };
    const deployer = { kind: "user" as const, id: "user07", email: "user07@example.com", name: null, role: "deployer" as const };
    const middleCursor = String(Math.floor(EVENTS / 2));
    const cases: { name: string; filter: Record<string, string>; viewer: typeof admin | typeof deployer }[] = [
      { name: "no filter", filter: {}, viewer: admin },
      { name: "actor (case-insensitive)", filter: { actor: "User12@Example.com" }, viewer: admin },
      { name: "action exact (common)", filter: { action: "deploy.start" }, viewer: admin },
      { name: "action exact (rare)", filter: { action: "server.host_key_repin" }, viewer: admin },
      { name: "action prefix deploy.", filter: { action: "deploy." }, viewer: admin },
      { name: "action prefix server.", filter: { action: "server." }, viewer: admin },
      { name: "target by id", filter: { target: `deploy:${sampleDeploy}` }, viewer: admin },
      { name: "target by name (20k matches)", filter: { target: "shop-07" }, viewer: admin },
      { name: "target type only", filter: { target: "ssh_key:" }, viewer: admin },
      { name: "outcome denied", filter: { outcome: "denied" }, viewer: admin },
      { name: "outcome failure", filter: { outcome: "failure" }, viewer: admin },
      { name: "date range: last 7 days", filter: { from: "2026-11-19", to: "2026-11-25" }, viewer: admin },
      { name: "date range: a month, a year ago", filter: { from: "2025-11-01", to: "2025-11-30" }, viewer: admin },
      { name: "free text, common (deploy)", filter: { q: "deploy" }, viewer: admin },
      { name: "free text, medium (user12)", filter: { q: "user12" }, viewer: admin },
      { name: "free text, rare (an IP)", filter: { q: "10.0.12.77" }, viewer: admin },
      { name: "free text, no match", filter: { q: "nothing-like-this" }, viewer: admin },
      { name: "deployer: own events only", filter: {}, viewer: deployer },
      { name: "deployer: own deploy.* last 90 days", filter: { action: "deploy.", from: "2026-08-27" }, viewer: deployer },
      { name: "combined: actor+action+outcome+dates", filter: { actor: "user12@example.com", action: "deploy.", outcome: "failure", from: "2026-01-01", to: "2026-06-30" }, viewer: admin },
      { name: "combined: target name+outcome+text", filter: { target: "app:shop-03", outcome: "success", q: "secret" }, viewer: admin },
      { name: "page 2 from the middle (cursor)", filter: { cursor: middleCursor }, viewer: admin },
    ];

    say("");
    say(`first page (limit 50), ${RUNS} runs each, median; target < ${TARGET_MS} ms`);
    const header = `${"filter".padEnd(40)} ${"rows".padStart(5)} ${"median ms".padStart(10)} ${"min".padStart(7)} ${"max".padStart(7)}`;
    say(header);
    say("-".repeat(header.length));
    let worst = 0;
    let totalMedian = 0;
    for (const c of cases) {
      const filter = auditFilterSchema.parse(c.filter);
      const times: number[] = [];
      let rows = 0;
      const logStart = serverLog.length;
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        const page = await listAuditEvents(filter, auditScope(c.viewer));
        times.push(performance.now() - start);
        rows = page.events.length;
      }
      const m = median(times);
      worst = Math.max(worst, m);
      totalMedian += m;
      const flag = m < TARGET_MS ? "" : "  <-- over target";
      say(
        `${c.name.padEnd(40)} ${String(rows).padStart(5)} ${m.toFixed(1).padStart(10)} ${Math.min(...times)
          .toFixed(1)
          .padStart(7)} ${Math.max(...times)
          .toFixed(1)
          .padStart(7)}${flag}`,
      );
      if (flags.explain) {
        // The server writes its log asynchronously: give the last run's plans a moment to arrive.
        await new Promise((r) => setTimeout(r, 300));
        const last =
          serverLog
            .slice(logStart)
            .join("\n")
            .split(/\n(?=\S.*\[\d+\])/)
            .filter((p) => p.includes("plan:"))
            .at(-1) ?? "(no plan logged)";
        say("    " + last.trim().split("\n").join("\n    "));
      }
    }
    const timed = async (fn: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        await fn();
        times.push(performance.now() - start);
      }
      return median(times);
    };
    const headMs = await timed(() => getAuditHead());
    const actionsMs = await timed(() => listAuditActionNames());
    const actorsMs = await timed(() => listAuditActorLabels());
    say("-".repeat(header.length));
    say(`${"sum of medians".padEnd(40)} ${"".padStart(5)} ${totalMedian.toFixed(1).padStart(10)}`);
    say(`${"worst median".padEnd(40)} ${"".padStart(5)} ${worst.toFixed(1).padStart(10)}`);
    say(`${"page header: head hash + count".padEnd(40)} ${"".padStart(5)} ${headMs.toFixed(1).padStart(10)}`);
    say(`${"filter suggestions: action names".padEnd(40)} ${"".padStart(5)} ${actionsMs.toFixed(1).padStart(10)}`);
    say(`${"filter suggestions: actor labels".padEnd(40)} ${"".padStart(5)} ${actorsMs.toFixed(1).padStart(10)}`);
    say("");
    say(worst < TARGET_MS ? `OK: every filter's first page answered in under ${TARGET_MS} ms (median)` : `OVER TARGET: worst median ${worst.toFixed(1)} ms`);
    if (flags.keep) say(`kept: ${database.url}`);
    return worst < TARGET_MS ? 0 : 1;
  } finally {
    await dispose();
  }
}

runBench("bench:audit", main);
