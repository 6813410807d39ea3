import { heartbeatTarget, type HeartbeatSchedule } from "../health/heartbeat-schedule";

/** What a monitor checks, in one line: its URL, host:port, server and command, or a heartbeat's schedule. */
export function targetOf(m: { type: string; url: string | null; host: string | null; port: number | null; command: string | null; server?: { name: string } | null } & Partial<HeartbeatSchedule>): string {
  if (m.type === "heartbeat") return heartbeatTarget({ intervalSeconds: m.intervalSeconds ?? 60, graceSeconds: m.graceSeconds ?? null, cron: m.cron ?? null, cronTimeZone: m.cronTimeZone ?? null });
  if (m.type === "http") return m.url ?? "";
  if (m.type === "tcp" || m.type === "certificate") return `${m.host}:${m.port}`;
  return `${m.server?.name ?? "server"}: ${m.command ?? ""}`;
}
