import type net from "node:net";

/**
 * Waits for a freshly opened socket to reach `event` ("connect", or "secureConnect" for TLS), reads what it
 * needs with `ready`, and destroys it: on success, on a socket error, and when `signal` aborts (rejecting
 * with the abort's reason, so a check's deadline reads as a timeout).
 */
export function settleSocket<S extends net.Socket, T>(socket: S, event: "connect" | "secureConnect", signal: AbortSignal, ready: (socket: S) => T): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once(event, () => {
      signal.removeEventListener("abort", onAbort);
      const value = ready(socket);
      socket.destroy();
      resolve(value);
    });
    socket.on("error", (err) => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      reject(err);
    });
  });
}
