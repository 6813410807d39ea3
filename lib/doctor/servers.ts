import type { Db } from "../db/client";
import { fetchHostKey } from "../ssh";
import type { CheckResult } from "./types";

export interface PinnedServer {
  name: string;
  host: string;
  port: number;
  hostKeyFingerprint: string | null;
}

export const DEFAULT_SERVER_TIMEOUT_MS = 5_000;
/** Enough to finish a large fleet quickly without opening hundreds of sockets at once. */
const CONCURRENCY = 16;

export function listPinnedServers(client: Db): Promise<PinnedServer[]> {
  return client.server.findMany({ select: { name: true, host: true, port: true, hostKeyFingerprint: true }, orderBy: { name: "asc" } });
}

/** Only the key exchange: no credential is sent, so a doctor run cannot lock an account out. */
async function checkOne(server: PinnedServer, timeoutMs: number): Promise<CheckResult> {
  const name = `server ${server.name}`;
  const where = server.host.includes(":") ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
  if (!server.hostKeyFingerprint) {
    return { name, status: "warn", detail: `${where}: no host key pinned yet; Deckhand will not connect until an admin verifies and pins it` };
  }
  try {
    const presented = await fetchHostKey(server.host, server.port, timeoutMs);
    if (presented.fingerprint === server.hostKeyFingerprint) return { name, status: "ok", detail: `${where}: host key matches the pin (${presented.keyType} ${presented.fingerprint})` };
    return {
      name,
      status: "fail",
      detail: `${where}: host key CHANGED: pinned ${server.hostKeyFingerprint}, presented ${presented.fingerprint}; deploys to it are refused until an admin checks the server and re-pins`,
    };
  } catch (err) {
    return { name, status: "fail", detail: `${where}: unreachable: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Every server's host key against its pin, in parallel, each within timeoutMs. */
export async function checkServers(servers: PinnedServer[], opts: { timeoutMs?: number } = {}): Promise<CheckResult[]> {
  if (servers.length === 0) return [{ name: "servers", status: "ok", detail: "no servers configured" }];
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS;
  const results: CheckResult[] = new Array(servers.length);
  let next = 0;
  const lane = async () => {
    while (next < servers.length) {
      const i = next++;
      results[i] = await checkOne(servers[i]!, timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, servers.length) }, lane));
  return results;
}
