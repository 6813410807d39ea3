import type { Db } from "../db/client";
import { log } from "../log";
import { SecretMasker, type StreamMasker } from "./log-mask";

type Stream = "stdout" | "stderr" | "system";

const RETRY_MS = 1_000;
/** About two minutes of retries: longer than a Postgres restart or failover takes. */
const MAX_FLUSH_RETRIES = 120;

type Where = { stepId?: string | null; serverId?: string | null };

function streamKey(stream: "stdout" | "stderr", where: Where): string {
  return JSON.stringify([stream, where.stepId ?? null, where.serverId ?? null]);
}

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

  private masker = new SecretMasker([]);
  /** One masker per output stream of one step on one server: a value split across two chunks is still found. */
  private streams = new Map<string, StreamMasker>();

  /** From now on every occurrence of these values (4 characters or longer) is stored as ***. */
  maskSecrets(values: Iterable<string>): void {
    this.masker = new SecretMasker(values);
    this.streams.clear();
  }

  /** A whole text (an error message) with the secrets masked. */
  mask(text: string): string {
    return this.masker.mask(text);
  }

  append(stream: "stdout" | "stderr", text: string, where: Where = {}): void {
    const key = streamKey(stream, where);
    let masker = this.streams.get(key);
    if (!masker) this.streams.set(key, (masker = this.masker.stream()));
    this.store(stream, masker.push(text), where);
  }

  /** A command's output ended: what its maskers held back is masked and stored. */
  endOutput(where: Where = {}): void {
    for (const stream of ["stdout", "stderr"] as const) {
      const key = streamKey(stream, where);
      const masker = this.streams.get(key);
      if (!masker) continue;
      this.streams.delete(key);
      this.store(stream, masker.end(), where);
    }
  }

  /** Every stream ended (the run is over): nothing stays held back. */
  endAll(): void {
    for (const [key, masker] of this.streams) {
      const [stream, stepId, serverId] = JSON.parse(key) as ["stdout" | "stderr", string | null, string | null];
      this.store(stream, masker.end(), { stepId, serverId });
    }
    this.streams.clear();
  }

  private store(stream: Stream, text: string, where: Where): void {
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

  system(raw: string, where: Where = {}): void {
    // What this step's command printed comes first (Deckhand's lines follow the commands they are about).
    this.endOutput(where);
    const text = this.masker.mask(raw);
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
        await this.client.$transaction([this.client.deployLog.createMany({ data: lines }), this.client.deploy.update({ where: { id: this.deployId }, data: { logBytes: bytes, logTruncated: truncated } })]);
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
