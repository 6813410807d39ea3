import type { OutputStreamName } from "./output";

/**
 * A command that starts a background process without redirecting its streams (`nohup app &`) exits, but
 * the process it left behind keeps the channel's stdout/stderr pipes open, so sshd never closes the
 * channel (plain OpenSSH waits too). RemoteCommand stops waiting a short grace after the exit status and
 * asks the server, on a second channel, which processes of the command's session still hold those pipes.
 */
export interface HeldStreamHolder {
  pid: number;
  /** Its command line, as ps shows it (cut to 120 characters). */
  command: string;
  streams: OutputStreamName[];
}

export interface HeldOpen {
  /** How long after the command's exit status Deckhand stopped waiting. */
  afterMs: number;
  /** The processes found holding the streams; empty when the server could not say (no ps or /proc). */
  holders: HeldStreamHolder[];
}

/**
 * Lists the processes of session `sid` (sshd starts every command's shell with setsid, so a background
 * job of that shell is in it) with where their stdout and stderr point. Linux /proc and procps' ps.
 */
export function heldStreamsProbe(sid: number): string {
  if (!Number.isInteger(sid) || sid <= 0) throw new TypeError("the session id must be a positive integer");
  return [
    `ps -e -o pid= -o sid= -o args= 2>/dev/null | while read -r p s c; do`,
    `[ "$s" = "${sid}" ] || continue;`,
    `printf '%s\\t%s\\t%s\\t%s\\n' "$p" "$(readlink /proc/$p/fd/1 2>/dev/null)" "$(readlink /proc/$p/fd/2 2>/dev/null)" "$c";`,
    `done; true`,
  ].join(" ");
}

/** A pipe or socket on fd 1/2: what sshd connects a command's stdout and stderr to. */
const CHANNEL_END = /^(pipe|socket):/;

export function parseHeldStreams(output: string): HeldStreamHolder[] {
  const holders: HeldStreamHolder[] = [];
  for (const line of output.split("\n")) {
    const [pid, fd1, fd2, ...rest] = line.split("\t");
    if (!pid || !/^\d{1,10}$/.test(pid)) continue;
    const streams: OutputStreamName[] = [];
    if (fd1 && CHANNEL_END.test(fd1)) streams.push("stdout");
    if (fd2 && CHANNEL_END.test(fd2)) streams.push("stderr");
    if (streams.length === 0) continue;
    holders.push({ pid: Number(pid), command: rest.join("\t").trim().slice(0, 120), streams });
  }
  return holders;
}

function streamList(streams: Iterable<OutputStreamName>): string {
  const set = new Set(streams);
  if (set.has("stdout") && set.has("stderr")) return "stdout and stderr";
  return set.has("stdout") ? "stdout" : "stderr";
}

/** The log line for a person: what held the channel open, and how to write the command so it does not. */
export function describeHeldOpen(held: HeldOpen, exitCode: number | null): string {
  const seconds = (held.afterMs / 1000).toFixed(1);
  const status = exitCode === null ? "ended" : `exited with ${exitCode}`;
  const who = held.holders.length > 0 ? held.holders.map((h) => `\`${h.command || "?"}\` (pid ${h.pid}) still holds its ${streamList(h.streams)}`).join("; ") : "a background process it started still holds its stdout and/or stderr";
  return (
    `the command ${status}, but ${who}, so the SSH channel could not close; Deckhand stopped waiting ${seconds} s after the exit ` +
    `and took the exit status. Redirect the background process's streams so the command can end, e.g. ` +
    "`nohup app > app.log 2>&1 < /dev/null &`."
  );
}
