import { randomBytes } from "node:crypto";
import { StringDecoder } from "node:string_decoder";

export type OutputStreamName = "stdout" | "stderr";

/** Decodes one output stream as UTF-8 across chunk boundaries and keeps a bounded copy of the raw bytes. */
export class OutputStream {
  private readonly decoder = new StringDecoder("utf8");
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  truncated = false;

  constructor(
    private readonly limit: number,
    private readonly emit: (text: string) => void,
  ) {}

  push(chunk: Buffer): void {
    const room = this.limit - this.keptBytes;
    if (room > 0) {
      // Copied: the chunk may be a view into a buffer ssh2 reuses.
      const part = Buffer.from(chunk.subarray(0, room));
      this.kept.push(part);
      this.keptBytes += part.length;
    }
    if (chunk.length > room) this.truncated = true;
    const text = this.decoder.write(chunk);
    if (text) this.emit(text);
  }

  end(): void {
    const rest = this.decoder.end();
    if (rest) this.emit(rest);
  }

  text(): string {
    const bytes = Buffer.concat(this.kept);
    // A cut can fall inside a character; write() without end() drops that incomplete tail.
    return this.truncated ? new StringDecoder("utf8").write(bytes) : bytes.toString("utf8");
  }
}

/**
 * Hands decoded text to the caller's onOutput. Once that throws it is not called again: the caller
 * can no longer record output, so the command is stopped and the error kept for the report.
 */
export class OutputCallback {
  private thrown: { error: unknown } | null = null;

  constructor(
    private readonly onOutput: ((text: string, stream: OutputStreamName) => void) | undefined,
    private readonly onThrow: () => void,
  ) {}

  /** What the callback threw, if it did. */
  get failure(): { error: unknown } | null {
    return this.thrown;
  }

  deliver(text: string, stream: OutputStreamName): void {
    if (!this.onOutput || this.thrown !== null) return;
    try {
      this.onOutput(text, stream);
    } catch (error) {
      this.thrown = { error };
      this.onThrow();
    }
  }
}

/** How far into stdout the marker is looked for (shell start-up files may print first) before giving up. */
export const MARKER_SEARCH_LIMIT = 64 * 1024;

/**
 * Every command is prefixed with one line that prints a random marker and the shell's pid to stdout;
 * the announcement is cut out of stdout again here. sshd starts each session's shell with setsid(), so
 * the pid is also the process group of everything the command starts, which is what a kill must reach.
 *
 * Why not only the "signal" request: OpenSSH refuses it for root logins ("session signalling requires
 * privilege separation": root sessions run without the post-auth privsep child), and root is a common
 * deploy user. So a stopped command's group is also killed from a second channel with kill(1).
 */
export class PidAnnouncement {
  /** stdout held back until the marker line is seen and cut out; null once that is done. */
  private held: Buffer | null = Buffer.alloc(0);

  constructor(
    readonly marker = `deckhand-pid-${randomBytes(8).toString("hex")}:`,
    private readonly searchLimit = MARKER_SEARCH_LIMIT,
  ) {}

  /** The command with the announcement line in front of it. */
  wrap(command: string): string {
    return `printf '%s%s\\n' '${this.marker}' "$$"\n${command}`;
  }

  /**
   * Takes one chunk of stdout. Returns the stdout that may be passed on now (in order, each part
   * non-empty) and, when this chunk completed a well-formed announcement, the pid.
   */
  push(chunk: Buffer): { output: Buffer[]; pid: number | null } {
    if (this.held === null) return { output: [chunk], pid: null };
    const held = Buffer.concat([this.held, chunk]);
    this.held = held;
    const at = held.indexOf(this.marker);
    if (at === -1) return { output: held.length > this.searchLimit ? this.end() : [], pid: null };
    const lineEnd = held.indexOf(0x0a, at);
    if (lineEnd === -1) return { output: [], pid: null };
    const announced = held.subarray(at + this.marker.length, lineEnd).toString("latin1");
    this.held = null;
    const output = [held.subarray(0, at), held.subarray(lineEnd + 1)].filter((part) => part.length > 0);
    return { output, pid: /^[1-9]\d{0,9}$/.test(announced) ? Number(announced) : null };
  }

  /** Gives up on the announcement: whatever is still held back, after which stdout passes through. */
  end(): Buffer[] {
    const held = this.held;
    this.held = null;
    return held !== null && held.length > 0 ? [held] : [];
  }
}
