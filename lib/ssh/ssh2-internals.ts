import type { ClientChannel } from "ssh2";

/**
 * Every use of ssh2's private internals lives here, so an upgrade has one place to re-check.
 *
 * Written against ssh2 1.17.0, pinned exactly in package.json for this reason: these fields are in
 * neither its documented API nor its types, so any release may rename or drop them. Before moving
 * the pin, re-read Channel.signal() and the `outgoing` state in ssh2's lib/Channel.js and the
 * `_protocol` of lib/client.js, then run lib/ssh/exec.test.ts (the kill tests depend on this file).
 */

/** The parts of an ssh2 channel that sendSignal needs. */
interface ChannelInternals {
  outgoing?: { id: number; state: string };
  _client?: { _protocol?: { signal(channelId: number, signalName: string): void } };
}

/**
 * Sends a "signal" channel request, which OpenSSH (7.9+) delivers with killpg() to the session's
 * process group. ssh2's own channel.signal() refuses once we have sent EOF on stdin (every exec does,
 * at once) although the protocol allows requests until the channel closes, so the request goes to
 * ssh2's protocol layer directly.
 */
export function sendSignal(channel: ClientChannel, signalName: string): void {
  const internals = channel as unknown as ChannelInternals;
  const state = internals.outgoing?.state;
  const protocol = internals._client?._protocol;
  if (internals.outgoing && protocol && (state === "open" || state === "eof")) {
    protocol.signal(internals.outgoing.id, signalName);
  } else {
    channel.signal(signalName);
  }
}
