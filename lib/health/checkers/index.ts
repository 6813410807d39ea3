import type { Assertion } from "../assertions";
import { checkCertificate } from "./certificate";
import { checkHttp } from "./http";
import { checkSsh, type SshTargetLoader } from "./ssh";
import { checkTcp } from "./tcp";
import type { CheckContext, CheckOutcome } from "./types";

export type { CheckContext, CheckFacts, CheckOutcome } from "./types";

/** The monitor columns a check needs. */
export interface MonitorCheckSpec {
  type: "http" | "tcp" | "ssh" | "certificate";
  url: string | null;
  method: string;
  host: string | null;
  port: number | null;
  serverId: string | null;
  command: string | null;
  expectedStatus: string;
  keyword: string | null;
  timeoutSeconds: number;
  /** JSON body conditions of an HTTP monitor (null or left out: none). */
  assertions?: Assertion[] | null;
  /** A successful check slower than this is degraded (null or left out: never for slowness). */
  degradedAfterMs?: number | null;
}

export type RunContext = CheckContext & { loadSshTarget: SshTargetLoader };

function runByType(m: MonitorCheckSpec, ctx: RunContext): Promise<CheckOutcome> {
  const timeoutMs = m.timeoutSeconds * 1000;
  switch (m.type) {
    case "http":
      if (!m.url) return Promise.resolve({ ok: false, latencyMs: null, detail: "monitor has no URL" });
      return checkHttp({ url: m.url, method: m.method, expectedStatus: m.expectedStatus, keyword: m.keyword, assertions: m.assertions, timeoutMs }, ctx);
    case "tcp":
      if (!m.host || !m.port) return Promise.resolve({ ok: false, latencyMs: null, detail: "monitor has no host and port" });
      return checkTcp({ host: m.host, port: m.port, timeoutMs }, ctx);
    case "certificate":
      if (!m.host || !m.port) return Promise.resolve({ ok: false, latencyMs: null, detail: "monitor has no host and port" });
      return checkCertificate({ host: m.host, port: m.port, timeoutMs }, ctx);
    case "ssh":
      if (!m.serverId || !m.command) return Promise.resolve({ ok: false, latencyMs: null, detail: "monitor has no server and command" });
      return checkSsh({ serverId: m.serverId, command: m.command, timeoutMs }, { ...ctx, loadTarget: ctx.loadSshTarget });
  }
}

/** A check that succeeded slower than the monitor's threshold is degraded: still up, with the reason in its detail. */
export function applyDegradedThreshold(outcome: CheckOutcome, degradedAfterMs: number | null | undefined): CheckOutcome {
  if (!outcome.ok || degradedAfterMs == null || outcome.latencyMs === null || outcome.latencyMs <= degradedAfterMs) return outcome;
  return { ...outcome, degraded: true, detail: `${outcome.detail}: slow, ${Math.round(outcome.latencyMs)} ms (degraded above ${degradedAfterMs} ms)` };
}

export async function runCheck(m: MonitorCheckSpec, ctx: RunContext): Promise<CheckOutcome> {
  return applyDegradedThreshold(await runByType(m, ctx), m.degradedAfterMs);
}
