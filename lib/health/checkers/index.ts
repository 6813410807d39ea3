import { checkHttp } from "./http";
import { checkSsh, type SshTargetLoader } from "./ssh";
import { checkTcp } from "./tcp";
import type { CheckContext, CheckOutcome } from "./types";

export type { CheckContext, CheckOutcome } from "./types";

/** The monitor columns a check needs. */
export interface MonitorCheckSpec {
  type: "http" | "tcp" | "ssh";
  url: string | null;
  method: string;
  host: string | null;
  port: number | null;
  serverId: string | null;
  command: string | null;
  expectedStatus: string;
  keyword: string | null;
  timeoutSeconds: number;
}

export type RunContext = CheckContext & { loadSshTarget: SshTargetLoader };

export function runCheck(m: MonitorCheckSpec, ctx: RunContext): Promise<CheckOutcome> {
  const timeoutMs = m.timeoutSeconds * 1000;
  switch (m.type) {
    case "http":
      if (!m.url) return Promise.resolve({ ok: false, latencyMs: null, detail: "monitor has no URL" });
      return checkHttp({ url: m.url, method: m.method, expectedStatus: m.expectedStatus, keyword: m.keyword, timeoutMs }, ctx);
    case "tcp":
      if (!m.host || !m.port) return Promise.resolve({ ok: false, latencyMs: null, detail: "monitor has no host and port" });
      return checkTcp({ host: m.host, port: m.port, timeoutMs }, ctx);
    case "ssh":
      if (!m.serverId || !m.command) return Promise.resolve({ ok: false, latencyMs: null, detail: "monitor has no server and command" });
      return checkSsh({ serverId: m.serverId, command: m.command, timeoutMs }, { ...ctx, loadTarget: ctx.loadSshTarget });
  }
}
