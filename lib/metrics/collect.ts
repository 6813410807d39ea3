import type { Db } from "../db/client";
import { MonitorStatus, Prisma } from "../generated/prisma/client";
import { QUEUES } from "../jobs/queues";
import { log } from "../log";
import { histogramSamples, type MetricFamily, type Sample } from "./format";

/**
 * What GET /metrics reports, read from the database at scrape time (any web replica answers the same):
 * monitors' status and latency, heartbeats' last beat, open incidents, deploys by outcome with a duration
 * histogram, and pg-boss queue depths. Latency and durations are in seconds, the Prometheus base unit.
 */

/** Upper bounds of the deploy duration histogram, in seconds. */
export const DEPLOY_DURATION_BOUNDS = [10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

interface MonitorRow {
  id: string;
  name: string;
  type: string;
  status: string;
  app: string | null;
  lastCheckedAt: Date | null;
  lastBeatAt: Date | null;
  certNotAfter: Date | null;
  latencyMs: number | null;
  p95: number | null;
}

async function monitorFamilies(client: Db): Promise<MetricFamily[]> {
  const rows = await client.$queryRaw<MonitorRow[]>`
    SELECT m.id, m.name, m.type::text AS type, m.status::text AS status, a.name AS app, m."lastCheckedAt", m."lastBeatAt", m."certNotAfter",
      last."latencyMs", hour.p95
    FROM "Monitor" m
    LEFT JOIN "App" a ON a.id = m."appId"
    LEFT JOIN LATERAL (SELECT c."latencyMs"::float8 AS "latencyMs" FROM "CheckResultData" c WHERE c."monitorSeq" = m.seq ORDER BY c.at DESC LIMIT 1) last ON true
    LEFT JOIN LATERAL (SELECT r.p95 FROM "CheckRollup" r WHERE r."monitorId" = m.id AND r.bucket = 'hour' ORDER BY r."bucketStart" DESC LIMIT 1) hour ON true
    ORDER BY m.name, m.id`;
  const labelsOf = (m: MonitorRow) => ({ monitor_id: m.id, name: m.name, type: m.type, app: m.app ?? "" });
  const statuses = Object.values(MonitorStatus) as string[];
  const seconds = (ms: number | null) => (ms === null ? [] : [ms / 1000]);
  const per = (pick: (m: MonitorRow) => number[]): Sample[] => rows.flatMap((m) => pick(m).map((value) => ({ labels: labelsOf(m), value })));
  return [
    {
      name: "deckhand_monitor_up",
      help: "1 when the monitor's last state is up (a degraded monitor counts as up), 0 otherwise (down, pending, paused).",
      type: "gauge",
      samples: per((m) => [m.status === "up" || m.status === "degraded" ? 1 : 0]),
    },
    {
      name: "deckhand_monitor_status",
      help: "The monitor's state: 1 for the state it is in, 0 for the others.",
      type: "gauge",
      samples: rows.flatMap((m) => statuses.map((s) => ({ labels: { ...labelsOf(m), status: s }, value: m.status === s ? 1 : 0 }))),
    },
    { name: "deckhand_monitor_latency_seconds", help: "Latency of the monitor's latest check (a heartbeat's reported ping).", type: "gauge", samples: per((m) => seconds(m.latencyMs)) },
    { name: "deckhand_monitor_latency_p95_seconds", help: "95th percentile latency of the monitor's latest hourly rollup.", type: "gauge", samples: per((m) => seconds(m.p95)) },
    {
      name: "deckhand_monitor_last_check_timestamp_seconds",
      help: "When the monitor's latest check ran (Unix time).",
      type: "gauge",
      samples: per((m) => (m.lastCheckedAt ? [m.lastCheckedAt.getTime() / 1000] : [])),
    },
    {
      name: "deckhand_heartbeat_last_beat_timestamp_seconds",
      help: "When a heartbeat monitor's latest beat arrived (Unix time).",
      type: "gauge",
      samples: per((m) => (m.type === "heartbeat" && m.lastBeatAt ? [m.lastBeatAt.getTime() / 1000] : [])),
    },
    {
      name: "deckhand_monitor_certificate_expiry_timestamp_seconds",
      help: "When the certificate seen by an HTTPS or certificate monitor's last check expires (Unix time); days left: (this - time()) / 86400.",
      type: "gauge",
      samples: per((m) => (m.certNotAfter ? [m.certNotAfter.getTime() / 1000] : [])),
    },
  ];
}

async function incidentFamily(client: Db): Promise<MetricFamily> {
  const open = await client.incident.count({ where: { endedAt: null } });
  return { name: "deckhand_incidents_open", help: "Incidents not yet ended.", type: "gauge", samples: [{ value: open }] };
}

interface DeployRow {
  kind: string;
  status: string;
  count: number;
  timed: number;
  sum: number | null;
  buckets: number[];
}

async function deployFamilies(client: Db): Promise<MetricFamily[]> {
  const rows = await client.$queryRaw<DeployRow[]>`
    WITH d AS (
      SELECT kind::text AS kind, status::text AS status,
        CASE WHEN "finishedAt" IS NOT NULL THEN extract(epoch FROM ("finishedAt" - coalesce("startedAt", "createdAt"))) END AS secs
      FROM "Deploy" WHERE status NOT IN ('queued', 'running', 'awaiting_approval')
    )
    SELECT kind, status, count(*)::int AS count, count(secs)::int AS timed, sum(secs)::float8 AS sum,
      ARRAY[${Prisma.join(DEPLOY_DURATION_BOUNDS.map((le) => Prisma.sql`(count(*) FILTER (WHERE secs <= ${le}::float8))::int`))}] AS buckets
    FROM d GROUP BY kind, status ORDER BY kind, status`;
  return [
    {
      name: "deckhand_deploys_total",
      help: "Finished deploys and rollbacks, by kind and outcome (succeeded, failed, cancelled, interrupted).",
      type: "counter",
      samples: rows.map((r) => ({ labels: { kind: r.kind, outcome: r.status }, value: r.count })),
    },
    {
      name: "deckhand_deploy_duration_seconds",
      help: "How long finished deploys and rollbacks took, from start to finish, by kind and outcome.",
      type: "histogram",
      samples: rows.flatMap((r) => histogramSamples({ kind: r.kind, outcome: r.status }, DEPLOY_DURATION_BOUNDS, r.buckets, r.timed, r.sum ?? 0)),
    },
  ];
}

async function queueFamily(client: Db): Promise<MetricFamily> {
  const family: MetricFamily = { name: "deckhand_queue_jobs", help: "pg-boss jobs waiting (created, retry) and running (active), per queue.", type: "gauge", samples: [] };
  let counts: { name: string; state: string; n: number }[] = [];
  try {
    counts = await client.$queryRaw`
      SELECT name, state::text AS state, count(*)::int AS n FROM pgboss.job
      WHERE name = ANY(${Object.values(QUEUES)}::text[]) AND state IN ('created', 'retry', 'active') GROUP BY name, state`;
  } catch (err) {
    // No worker has created pg-boss's schema yet: no queues to report.
    log.debug({ err }, "metrics: pg-boss tables not readable");
  }
  for (const queue of Object.values(QUEUES)) {
    for (const state of ["created", "retry", "active"]) family.samples.push({ labels: { queue, state }, value: counts.find((c) => c.name === queue && c.state === state)?.n ?? 0 });
  }
  return family;
}

export async function collectMetrics(client: Db): Promise<MetricFamily[]> {
  const [monitors, incidents, deploys, queues] = await Promise.all([monitorFamilies(client), incidentFamily(client), deployFamilies(client), queueFamily(client)]);
  return [...monitors, incidents, ...deploys, queues];
}
