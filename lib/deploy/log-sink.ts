import type { Db } from "../db/client";
import { log } from "../log";

type Stream = "stdout" | "stderr" | "system";

const RETRY_MS = 1_000;
/** About two minutes of retries: longer than a Postgres restart or failover takes. */
const MAX_FLUSH_RETRIES = 120;

interface Line {
  deployId: string;
  stepId: string | null;
  serverId: string | null;
  stream: Stream;
  text: string;
}

/**
 * Collects a deploy's output and writes it in small batches (a few per second), so the browser sees it
 * well under a second behind while a chatty build does not become thousands of single-row inserts.
 * Output past the per-deploy cap is dropped after one clear truncation marker.
 */
export class DeployLogSink {
  private buffer: Line[] = [];
  private bytes = 0;
  private truncated = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private failures = 0;

  constructor(
    private readonly client: Db,
    private readonly deployId: string,
    private readonly maxBytes: number,
    private readonly flushEveryMs = 150,
  ) {}

  append(stream: Stream, text: string, where: { stepId?: string | null; serverId?: string | null } = {}): void {
    if (this.truncated || text.length === 0) return;
    let chunk = text;
    const size = Buffer.byteLength(chunk);
    if (this.bytes + size > this.maxBytes) {
      chunk = truncateToBytes(chunk, Math.max(0, this.maxBytes - this.bytes));
      this.truncated = true;
    }
    this.bytes += Buffer.byteLength(chunk);
    if (chunk) this.buffer.push({ deployId: this.deployId, stepId: where.stepId ?? null, serverId: where.serverId ?? null, stream, text: chunk });
    if (this.truncated) {
      const mib = (this.maxBytes / 1024 / 1024).toFixed(1);
      this.buffer.push({ deployId: this.deployId, stepId: where.stepId ?? null, serverId: where.serverId ?? null, stream: "system", text: `\n[deckhand] log truncated at ${mib} MiB: further output of this deploy is not stored\n` });
    }
    this.timer ??= setTimeout(() => void this.flush(), this.flushEveryMs);
  }

  system(text: string, where: { stepId?: string | null; serverId?: string | null } = {}): void {
    // Deckhand's own lines are always kept, even past the cap, so the story of the deploy stays whole.
    this.buffer.push({ deployId: this.deployId, stepId: where.stepId ?? null, serverId: where.serverId ?? null, stream: "system", text: text.endsWith("\n") ? text : text + "\n" });
    this.timer ??= setTimeout(() => void this.flush(), this.flushEveryMs);
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.buffer;
    this.buffer = [];
    const bytes = this.bytes;
    const truncated = this.truncated;
    this.flushing = this.flushing.then(async () => {
      if (lines.length === 0) return;
      try {
        // One transaction: a retry after a failure never stores the same lines twice.
        await this.client.$transaction([
          this.client.deployLog.createMany({ data: lines }),
          this.client.deploy.update({ where: { id: this.deployId }, data: { logBytes: bytes, logTruncated: truncated } }),
        ]);
        this.failures = 0;
      } catch (err) {
        // A database restart must not cost the log: the lines go back in front and are tried again.
        if (++this.failures > MAX_FLUSH_RETRIES) {
          log.error({ err, deployId: this.deployId, lines: lines.length }, "could not store deploy log lines; giving up on them");
          return;
        }
        log.warn({ err, deployId: this.deployId, lines: lines.length }, "could not store deploy log lines; will retry");
        this.buffer = [...lines, ...this.buffer];
        this.timer ??= setTimeout(() => void this.flush(), RETRY_MS);
      }
    });
    return this.flushing;
  }
}

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
export function truncateToBytes(text: string, max: number): string {
  const buf = Buffer.from(text);
  if (buf.length <= max) return text;
  let end = max;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString("utf8");
}
