import { describe, expect, it } from "vitest";
import { MAX_BATCH, MAX_BUFFERED, ResultBuffer, type ResultSink } from "./result-buffer";
import type { CheckRecord } from "./results";

// The buffer against a sink in memory: what it writes, in which batches, and what it keeps when writes fail.
// The real sink (recordCheckResults and pg-boss) is exercised by scheduler.test.ts against Postgres.

const record = (n: number): CheckRecord => ({ monitorId: `m${n}`, at: new Date(n), ok: true, latencyMs: n, detail: "HTTP 200" });
const ids = (batch: CheckRecord[]) => batch.map((r) => Number(r.monitorId.slice(1)));

class MemorySink implements ResultSink {
  batches: number[][] = [];
  deleted: string[][] = [];
  failWrites = 0;
  failDeletes = 0;
  /** While set, a write waits for it: a flush under way. */
  hold: Promise<void> | null = null;
  async write(batch: CheckRecord[]) {
    if (this.hold) await this.hold;
    if (this.failWrites > 0) {
      this.failWrites--;
      throw new Error("database away");
    }
    this.batches.push(ids(batch));
  }
  async deleteJobs(jobIds: string[]) {
    if (this.failDeletes > 0) {
      this.failDeletes--;
      throw new Error("database away");
    }
    this.deleted.push(jobIds);
  }
}

describe("ResultBuffer", () => {
  it("keeps the production limits", () => {
    expect(MAX_BATCH).toBe(1_000);
    expect(MAX_BUFFERED).toBe(100_000);
  });

  it("writes at most one batch per flush, oldest first", async () => {
    const sink = new MemorySink();
    const buffer = new ResultBuffer(sink, { maxBatch: 3, maxBuffered: 100 });
    buffer.add(record(1));
    buffer.add(record(2));
    expect(sink.batches).toEqual([]);
    await buffer.flush();
    expect(sink.batches).toEqual([[1, 2]]);
    await buffer.flush();
    expect(sink.batches).toEqual([[1, 2]]);
    expect(buffer.stats()).toEqual({ completed: 2, written: 2, writeErrors: 0, buffered: 0 });
  });

  it("flushes as soon as a batch is full", async () => {
    const sink = new MemorySink();
    const buffer = new ResultBuffer(sink, { maxBatch: 2, maxBuffered: 100 });
    for (const n of [1, 2, 3]) buffer.add(record(n));
    expect(buffer.stats().buffered).toBe(1);
    // The first flush joins the one the full batch started; the second writes the rest.
    await buffer.flush();
    await buffer.flush();
    expect(sink.batches).toEqual([[1, 2], [3]]);
  });

  it("a flush under way is joined, not doubled", async () => {
    const sink = new MemorySink();
    let release!: () => void;
    sink.hold = new Promise((r) => (release = r));
    const buffer = new ResultBuffer(sink, { maxBatch: 10, maxBuffered: 100 });
    buffer.add(record(1));
    const first = buffer.flush();
    buffer.add(record(2));
    const second = buffer.flush();
    release();
    await Promise.all([first, second]);
    expect(sink.batches).toEqual([[1]]);
    expect(buffer.stats().buffered).toBe(1);
  });

  it("a failed batch goes back to the front and is retried at the next flush", async () => {
    const sink = new MemorySink();
    const buffer = new ResultBuffer(sink, { maxBatch: 2, maxBuffered: 100 });
    sink.failWrites = 1;
    buffer.add(record(1));
    await buffer.flush();
    buffer.add(record(2));
    buffer.add(record(3));
    await buffer.flush();
    expect(buffer.stats()).toMatchObject({ writeErrors: 1 });
    await buffer.flush();
    expect(sink.batches).toEqual([[1, 2], [3]]);
    expect(buffer.stats()).toEqual({ completed: 3, written: 3, writeErrors: 1, buffered: 0 });
  });

  it("while writes fail, keeps only the newest results (back-pressure drops the oldest)", async () => {
    const sink = new MemorySink();
    const buffer = new ResultBuffer(sink, { maxBatch: 2, maxBuffered: 3 });
    sink.failWrites = Infinity;
    for (const n of [1, 2, 3, 4, 5]) buffer.add(record(n));
    await buffer.flush();
    expect(buffer.stats().buffered).toBe(3);
    sink.failWrites = 0;
    await buffer.drain();
    expect(sink.batches).toEqual([[3, 4], [5]]);
  });

  it("deletes finished jobs at each flush, and retries a failed delete at the next", async () => {
    const sink = new MemorySink();
    const buffer = new ResultBuffer(sink);
    buffer.jobDone("j1");
    buffer.jobDone("j2");
    sink.failDeletes = 1;
    await buffer.flush();
    await new Promise((r) => setImmediate(r));
    expect(sink.deleted).toEqual([]);
    buffer.jobDone("j3");
    await buffer.flush();
    await new Promise((r) => setImmediate(r));
    expect(sink.deleted).toEqual([["j1", "j2", "j3"]]);
  });

  it("drain writes everything, gives up at the first failed write, and deletes the finished jobs", async () => {
    const sink = new MemorySink();
    const buffer = new ResultBuffer(sink, { maxBatch: 2, maxBuffered: 100 });
    for (const n of [1, 2, 3, 4, 5]) buffer.add(record(n));
    buffer.jobDone("j1");
    await buffer.drain();
    expect(sink.batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(sink.deleted.flat()).toEqual(["j1"]);

    buffer.add(record(6));
    sink.failWrites = Infinity;
    await buffer.drain();
    expect(buffer.stats()).toMatchObject({ buffered: 1, writeErrors: 1 });
  });
});
