import net from "node:net";
import { abortable, checkDeadline, CheckTimeoutError } from "../../net/deadline";
import { describeNetworkError } from "../../net/errors";
import { TargetDeniedError, vetHost } from "../../net/guard";
import { settleSocket } from "./socket";
import type { CheckContext, CheckOutcome } from "./types";

export interface TcpCheckSpec {
  host: string;
  port: number;
  timeoutMs: number;
}

function connect(address: string, port: number, signal: AbortSignal): Promise<void> {
  return settleSocket(net.connect({ host: address, port }), "connect", signal, () => undefined);
}

export async function checkTcp(spec: TcpCheckSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const started = performance.now();
  const deadline = checkDeadline(spec.timeoutMs, ctx.signal);
  try {
    const target = await abortable(vetHost(spec.host, ctx.guard, ctx.resolve), deadline.signal);
    await connect(target.address, spec.port, deadline.signal);
    return { ok: true, latencyMs: performance.now() - started, detail: `TCP ${spec.port} open` };
  } catch (err) {
    const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : err;
    if (reason instanceof CheckTimeoutError) return { ok: false, latencyMs: spec.timeoutMs, detail: reason.message };
    if (reason instanceof TargetDeniedError) return { ok: false, latencyMs: null, detail: reason.message };
    return { ok: false, latencyMs: null, detail: describeNetworkError(reason) };
  } finally {
    deadline.done();
  }
}
