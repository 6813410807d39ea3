import { performance } from "node:perf_hooks";
import type { Client, ClientChannel } from "ssh2";
import { SshCancelledError, SshCommandTimeoutError, SshConnectionLostError, SshError } from "./errors";
import { heldStreamsProbe, parseHeldStreams, type HeldOpen } from "./held-streams";
import { OutputCallback, OutputStream, PidAnnouncement, type OutputStreamName } from "./output";
import { sendSignal } from "./ssh2-internals";

export interface ExecOptions {
  /** Called with decoded text as it arrives; a multi-byte character split across packets is delivered whole. */
  onOutput?(text: string, stream: OutputStreamName): void;
  /** On expiry the remote process group gets SIGKILL and the promise rejects with SshCommandTimeoutError. */
  timeoutMs?: number;
  /** On abort the remote process group gets SIGKILL and the promise rejects with SshCancelledError. */
  signal?: AbortSignal;
  /** Written to the command's standard input, which is then closed (it is closed at once when absent). */
  stdin?: string;
  /** At most this many bytes of each stream are kept in the result (default 1 MiB); onOutput still sees everything. */
  maxCollectBytes?: number;
  /** How long the channel may stay open, silent, after the exit status arrived (default EXIT_GRACE_MS). */
  exitGraceMs?: number;
}

export interface ExecResult {
  /** null when the command was ended by a signal (or the server sent no status). */
  exitCode: number | null;
  /** The signal that ended the command, Node style ("SIGKILL"), else null. */
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Whether stdout/stderr were cut at maxCollectBytes. */
  truncated: { stdout: boolean; stderr: boolean };
  /**
   * Set when the command exited but a process it left behind kept its stdout/stderr open past the exit
   * grace: the result is the command's own exit status, and this says who held the channel open.
   */
  heldOpen: HeldOpen | null;
}

/** How long a killed command's channel may take to confirm it closed before we stop waiting. */
export const KILL_GRACE_MS = 2_000;

/**
 * After the exit status, how long the channel may stay silent before Deckhand stops waiting for it to close.
 * Output that arrives meanwhile (sshd still flushing) restarts the wait, up to EXIT_DRAIN_LIMIT grace periods.
 */
export const EXIT_GRACE_MS = 2_000;
const EXIT_DRAIN_LIMIT = 10;
/** How long the question "who holds the streams?" may take on the server. */
const PROBE_TIMEOUT_MS = 3_000;

export type StopReason = "timeout" | "cancelled" | "closed";

/** The grace timer of a stop whose signal request has gone out on the command's channel. */
interface SignalSent {
  channel: ClientChannel;
  grace: NodeJS.Timeout;
}

/**
 * Where one command is in its life. The transitions, each written in one method:
 *
 *   started  → output     the channel opened                                    (onChannel)
 *   started  → stopping   stop() before the channel opened: nothing to signal    (stop)
 *   stopping → stopping   the channel opened: signal request sent, grace begins  (onChannel → signal)
 *   output   → stopping   stop() before the pid was announced: signal request    (stop → signal)
 *   output   → killed     stop() with the pid known: signal request + group kill (stop → signal)
 *   stopping → killed     the pid was announced: group kill                      (onPidAnnounced)
 *   output   → draining   the exit status arrived, a channel end has not         (onExit)
 *   draining → draining   output arrived: the exit grace starts again            (onDrainOutput)
 *   draining → probing    the exit grace expired: ask who holds the streams      (probeHolders)
 *   draining, probing → stopping | killed   stop(): as from output               (stop → signal)
 *   any      → finished   both ends seen, grace expired, channel error, connection lost,
 *                         the holders are known (probing), or the channel could not be opened (finish)
 *
 * A command finished while its group kill still waited for the pid keeps that channel in
 * `groupKillOwed`: a shell that starts more slowly than the grace must not be left running.
 */
type CommandState =
  | { name: "started" }
  | { name: "output"; channel: ClientChannel; pid: number | null }
  | { name: "stopping"; reason: StopReason; signalSent: SignalSent | null }
  | { name: "killed"; reason: StopReason; grace: NodeJS.Timeout }
  | { name: "draining"; channel: ClientChannel; pid: number | null; grace: NodeJS.Timeout; exitedAt: number; restarts: number }
  | { name: "probing"; channel: ClientChannel; pid: number | null; exitedAt: number }
  | { name: "finished"; groupKillOwed: ClientChannel | null };

/**
 * What must arrive before the command is complete: ssh2 emits the channel's "close" only after
 * stdout has ended, and stderr ends on its own.
 */
type ChannelEnd = "channel close" | "stderr end";

/** One command on its own channel of a session, from the exec request to its result. */
export class RemoteCommand {
  private state: CommandState = { name: "started" };
  private readonly awaitedEnds = new Set<ChannelEnd>(["channel close", "stderr end"]);
  private exitStatus: { code: number | null; signal: string | null } | null = null;
  private heldOpen: HeldOpen | null = null;
  private readonly started = performance.now();
  private readonly announcement = new PidAnnouncement();
  private readonly callback: OutputCallback;
  private readonly stdout: OutputStream;
  private readonly stderr: OutputStream;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.stop("cancelled");

  private resolve!: (result: ExecResult) => void;
  private reject!: (error: SshError) => void;
  private markSettled!: () => void;
  readonly result = new Promise<ExecResult>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
  /** Resolves when the result does, either way: what close() waits for before hanging up. */
  readonly settled = new Promise<void>((resolve) => (this.markSettled = resolve));

  constructor(
    private readonly client: Client,
    private readonly remote: string,
    private readonly command: string,
    private readonly opts: ExecOptions,
    collectLimit: number,
    /** Called once, as the command finishes, before its result is delivered. */
    private readonly onFinished: () => void,
  ) {
    this.callback = new OutputCallback(opts.onOutput, () => this.stop("cancelled"));
    this.stdout = new OutputStream(collectLimit, (text) => this.callback.deliver(text, "stdout"));
    this.stderr = new OutputStream(collectLimit, (text) => this.callback.deliver(text, "stderr"));
  }

  /** Sends the exec request; the timeout and the abort signal apply from here. */
  start(): Promise<ExecResult> {
    this.opts.signal?.addEventListener("abort", this.onAbort, { once: true });
    if (this.opts.timeoutMs !== undefined) this.timeoutTimer = setTimeout(() => this.stop("timeout"), this.opts.timeoutMs);
    try {
      this.client.exec(this.announcement.wrap(this.command), (err, channel) => this.onChannel(err, channel));
    } catch (err) {
      this.finish(new SshConnectionLostError(`the connection to ${this.remote} is not open: ${(err as Error).message}`, { command: this.command, cause: err }));
    }
    return this.result;
  }

  stop(reason: StopReason): void {
    const state = this.state;
    if (state.name === "started") this.state = { name: "stopping", reason, signalSent: null };
    else if (state.name === "output" || state.name === "probing") this.signal(state.channel, reason, state.pid);
    else if (state.name === "draining") {
      clearTimeout(state.grace);
      this.signal(state.channel, reason, state.pid);
    }
  }

  connectionLost(reason: string): void {
    this.finish(new SshConnectionLostError(`the connection to ${this.remote} was lost while a command was running: ${reason}`, this.failureDetails()));
  }

  private onChannel(err: Error | undefined, channel: ClientChannel): void {
    const state = this.state;
    if (state.name === "finished") {
      // The connection was lost or closed while the channel opened: make sure nothing runs on.
      if (!err) channel.close();
      return;
    }
    if (err) return this.finish(new SshError(`could not start a command on ${this.remote}: ${err.message}`, { command: this.command, cause: err }));
    if (state.name === "started") this.state = { name: "output", channel, pid: null };
    channel.on("data", (chunk: Buffer) => {
      this.onStdout(chunk);
      this.onDrainOutput();
    });
    channel.stderr.on("data", (chunk: Buffer) => {
      this.stderr.push(chunk);
      this.onDrainOutput();
    });
    channel.stderr.on("end", () => {
      this.stderr.end();
      this.ended("stderr end");
    });
    channel.on("exit", (...args: unknown[]) => {
      // ssh2 emits (code) for exit-status and (null, "SIGKILL", …) for exit-signal.
      this.exitStatus = { code: typeof args[0] === "number" ? args[0] : null, signal: typeof args[1] === "string" ? args[1] : null };
      this.onExit();
    });
    channel.on("close", () => {
      for (const part of this.announcement.end()) this.stdout.push(part);
      this.stdout.end();
      this.ended("channel close");
    });
    channel.on("error", (channelErr: Error) => this.finish(new SshError(`channel error on ${this.remote}: ${channelErr.message}`, { ...this.failureDetails(), cause: channelErr })));
    // EOF on stdin either way, so a command that reads stdin ends instead of waiting forever.
    if (this.opts.stdin !== undefined) channel.end(this.opts.stdin);
    else channel.end();
    const current = this.state;
    if (current.name === "stopping" && current.signalSent === null) this.signal(channel, current.reason, null);
  }

  private onStdout(chunk: Buffer): void {
    const { output, pid } = this.announcement.push(chunk);
    // Recorded before the output is delivered: a callback that throws stops the command, and that kill needs the pid.
    if (pid !== null && (this.state.name === "output" || this.state.name === "draining")) this.state.pid = pid;
    for (const part of output) this.stdout.push(part);
    if (pid !== null) this.onPidAnnounced(pid);
  }

  /** The command's own exit status is in; a channel end still awaited starts the exit grace. */
  private onExit(): void {
    const state = this.state;
    if (state.name !== "output" || this.awaitedEnds.size === 0) return;
    this.state = { name: "draining", channel: state.channel, pid: state.pid, grace: this.exitGrace(), exitedAt: performance.now(), restarts: 0 };
  }

  private exitGrace(): NodeJS.Timeout {
    return setTimeout(() => this.probeHolders(), this.opts.exitGraceMs ?? EXIT_GRACE_MS);
  }

  /** Output after the exit is sshd still flushing, or a chatty background process: wait again, within a limit. */
  private onDrainOutput(): void {
    const state = this.state;
    if (state.name !== "draining" || state.restarts >= EXIT_DRAIN_LIMIT) return;
    clearTimeout(state.grace);
    state.grace = this.exitGrace();
    state.restarts++;
  }

  /**
   * The exit grace ran out with the channel still open: a process the command left behind holds its
   * streams. Ask the server which (on a second channel, bounded), then stop waiting: close the channel and
   * finish with the command's own exit status. The background process is left running: it is the point of
   * such commands (a restart that starts the app).
   */
  private probeHolders(): void {
    const state = this.state;
    if (state.name !== "draining") return;
    this.state = { name: "probing", channel: state.channel, pid: state.pid, exitedAt: state.exitedAt };
    const done = (output: string) => {
      const current = this.state;
      if (current.name !== "probing") return;
      this.heldOpen = { afterMs: Math.round(performance.now() - current.exitedAt), holders: parseHeldStreams(output) };
      current.channel.close();
      this.finish(null);
    };
    if (state.pid === null) return done("");
    let output = "";
    const timer = setTimeout(() => done(output), PROBE_TIMEOUT_MS);
    try {
      this.client.exec(heldStreamsProbe(state.pid), (err, probe) => {
        if (err) {
          clearTimeout(timer);
          return done("");
        }
        probe.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
        probe.stderr.resume();
        probe.on("close", () => {
          clearTimeout(timer);
          done(output);
        });
        probe.end();
      });
    } catch {
      clearTimeout(timer);
      done("");
    }
  }

  private onPidAnnounced(pid: number): void {
    const state = this.state;
    if (state.name === "stopping" && state.signalSent !== null) {
      this.killGroup(state.signalSent.channel, pid);
      this.state = { name: "killed", reason: state.reason, grace: state.signalSent.grace };
    } else if (state.name === "finished" && state.groupKillOwed !== null) {
      this.killGroup(state.groupKillOwed, pid);
      this.state = { name: "finished", groupKillOwed: null };
    }
  }

  /**
   * Sends the signal request, kills the process group at once when its pid is known (else when it is
   * announced: closing the channel now would stop the output that carries it), and starts the grace timer.
   */
  private signal(channel: ClientChannel, reason: StopReason, pid: number | null): void {
    sendSignal(channel, "KILL");
    if (pid !== null) this.killGroup(channel, pid);
    const grace = setTimeout(() => {
      channel.close();
      this.finish(this.stoppedError());
    }, KILL_GRACE_MS);
    this.state = pid === null ? { name: "stopping", reason, signalSent: { channel, grace } } : { name: "killed", reason, grace };
  }

  /**
   * Kills the command's process group from a second channel. The command's channel is then left to
   * close by itself: sshd closes it once every process holding its stdout/stderr has exited, so the
   * promise settles after the processes are gone, not merely signalled (the grace timer bounds the wait).
   */
  private killGroup(channel: ClientChannel, pid: number): void {
    try {
      this.client.exec(`kill -s KILL -- -${pid} 2>/dev/null || kill -s KILL ${pid} 2>/dev/null; true`, (err, killer) => {
        if (err) return channel.close();
        killer.resume();
        killer.stderr.resume();
        killer.end();
      });
    } catch {
      channel.close();
    }
  }

  private ended(end: ChannelEnd): void {
    this.awaitedEnds.delete(end);
    if (this.awaitedEnds.size === 0) this.finish(this.stoppedError());
  }

  private finish(error: SshError | null): void {
    const state = this.state;
    if (state.name === "finished") return;
    this.state = { name: "finished", groupKillOwed: state.name === "stopping" ? (state.signalSent?.channel ?? null) : null };
    this.onFinished();
    clearTimeout(this.timeoutTimer);
    if (state.name === "stopping") clearTimeout(state.signalSent?.grace);
    if (state.name === "killed" || state.name === "draining") clearTimeout(state.grace);
    this.opts.signal?.removeEventListener("abort", this.onAbort);
    this.markSettled();
    if (error) return this.reject(error);
    this.resolve({
      exitCode: this.exitStatus?.code ?? null,
      signal: this.exitStatus?.signal ?? null,
      stdout: this.stdout.text(),
      stderr: this.stderr.text(),
      durationMs: Math.round(performance.now() - this.started),
      truncated: { stdout: this.stdout.truncated, stderr: this.stderr.truncated },
      heldOpen: this.heldOpen,
    });
  }

  /** Why a stopped command did not deliver a result; null when it was never stopped. */
  private stoppedError(): SshError | null {
    const details = this.failureDetails();
    const thrown = this.callback.failure;
    if (thrown !== null) return new SshError("the onOutput callback threw; the command was killed", { ...details, cause: thrown.error });
    const reason = this.state.name === "stopping" || this.state.name === "killed" ? this.state.reason : null;
    switch (reason) {
      case "timeout":
        return new SshCommandTimeoutError(`command timed out after ${this.opts.timeoutMs} ms on ${this.remote} and was killed`, details);
      case "cancelled":
        return new SshCancelledError(`command cancelled on ${this.remote} and killed`, details);
      case "closed":
        return new SshCancelledError(`the SSH session to ${this.remote} was closed while the command was running; it was killed`, details);
      case null:
        return null;
    }
  }

  private failureDetails(): { command: string; exitCode: number | null; stderr: string } {
    return { command: this.command, exitCode: this.exitStatus?.code ?? null, stderr: this.stderr.text() };
  }
}
