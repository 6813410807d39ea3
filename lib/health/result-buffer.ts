import { log } from "../log";
import type { CheckRecord } from "./results";

export const MAX_BATCH = 1_000;
/** A database outage must not grow memory without bound: past this, the oldest unwritten results are dropped. */
export const MAX_BUFFERED = 100_000;

/** Where buffered results and finished check jobs go (Postgres and pg-boss in the scheduler). */
export interface ResultSink {
  write(batch: CheckRecord[]): Promise<unknown>;
  deleteJobs(jobIds: string[]): Promise<void>;
}

/**
 * Check results on their way to the database: written in batches of at most `maxBatch`, one batch at a time,
 * at each flush and as soon as a batch is full. A batch that fails goes back to the front to be retried at the
 * next flush, keeping only the newest `maxBuffered`. The jobs of finished checks are deleted at each flush; a
 * failed delete is retried at the next.
 */
export class ResultBuffer {
  private completed = 0;
  private written = 0;
  private writeErrors = 0;
  private buffer: CheckRecord[] = [];
  private finishedJobs: string[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly sink: ResultSink,
    private readonly limits = { maxBatch: MAX_BATCH, maxBuffered: MAX_BUFFERED },
  ) {}

  stats() {
    return { completed: this.completed, written: this.written, writeErrors: this.writeErrors, buffered: this.buffer.length };
  }

  /** A completed check's result. */
  add(record: CheckRecord): void {
    this.completed++;
    this.buffer.push(record);
    if (this.buffer.length >= this.limits.maxBatch) void this.flush();
  }

  /** The check of this job is over (finished or dropped): its job is deleted at the next flush. */
  jobDone(jobId: string): void {
    this.finishedJobs.push(jobId);
  }

  /** Writes one batch; a flush already under way is joined instead. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    void this.deleteFinishedJobs();
    if (this.buffer.length === 0) return Promise.resolve();
    const batch = this.buffer.slice(0, this.limits.maxBatch);
    this.buffer = this.buffer.slice(batch.length);
    this.flushing = this.sink
      .write(batch)
      .then(() => {
        this.written += batch.length;
      })
      .catch((err: unknown) => {
        this.writeErrors++;
        log.error({ err, results: batch.length }, "writing check results failed; will retry");
        this.buffer = [...batch, ...this.buffer].slice(-this.limits.maxBuffered);
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /** On stop: writes everything buffered, giving up at the first failed write, then deletes the finished jobs. */
  async drain(): Promise<void> {
    while (this.buffer.length > 0 || this.flushing) {
      const before = this.writeErrors;
      await this.flush();
      if (this.writeErrors > before) break;
    }
    await this.deleteFinishedJobs();
  }

  private async deleteFinishedJobs(): Promise<void> {
    if (this.finishedJobs.length === 0) return;
    const ids = this.finishedJobs;
    this.finishedJobs = [];
    await this.sink.deleteJobs(ids).catch((err: unknown) => {
      // Left active, they expire and fail: nothing runs twice. Try again at the next flush.
      this.finishedJobs.push(...ids);
      log.warn({ err, jobs: ids.length }, "could not delete finished check jobs; will retry");
    });
  }
}
