import { getDeploy, listDeployLogAfter } from "../queries/deploys";
import { publicError } from "./errors";
import { deployJson } from "./wire";

const TERMINAL = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

/**
 * Server-sent events for one deploy: its state whenever it changes and every new log chunk, read from
 * Postgres every 250 ms, so any web replica can serve any deploy. Ends after the deploy's final state, or
 * with an `error` event (a plain message and the request id) when the database fails it.
 */
export function deployEventStream(deployId: string, signal: AbortSignal, requestId: string, pollMs = 250): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor = 0n;
  let lastState = "";
  return new ReadableStream({
    async start(controller) {
      const send = (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      try {
        while (!signal.aborted) {
          const deploy = deployJson(await getDeploy(deployId));
          const chunks = await listDeployLogAfter(deployId, cursor);
          if (chunks.length) {
            cursor = BigInt(chunks[chunks.length - 1]!.id);
            send("log", chunks);
          }
          const state = JSON.stringify(deploy);
          if (state !== lastState) {
            lastState = state;
            send("deploy", deploy);
          }
          if (TERMINAL.has(deploy.status) && chunks.length === 0) {
            send("end", { status: deploy.status });
            break;
          }
          await new Promise((r) => setTimeout(r, pollMs));
        }
      } catch (err) {
        // A plain message and the request id; what went wrong goes to the server log only.
        const { code, message } = publicError(err, requestId, { deployId, stream: true });
        send("error", { code, message, requestId });
      }
      controller.close();
    },
  });
}
