import { setTimeout as delay } from "node:timers/promises";
import type { HeldCheck } from "./claim";

/**
 * A check that would start more than half an interval after its slot is dropped (the process was paused,
 * every slot was busy, or the slot was missed while Postgres was away): the next slot is then less than half
 * an interval off, perhaps already claimed by another worker, and running both would check twice in one
 * interval. The next slot runs as planned: no check is started more than half an interval after its slot. (A
 * worker frozen right after starting a check sends that request when it resumes: the one way two requests
 * can reach a target closer than that; the scale test counts them.)
 */
export function startsTooLate(check: Pick<HeldCheck, "runAt" | "intervalSeconds">, now: number): boolean {
  return now - check.runAt.getTime() > check.intervalSeconds * 500;
}

/** A fixed-size ring of recent start lags, for percentiles without unbounded memory. */
export class LagRecorder {
  private readonly values: Float64Array;
  private count = 0;
  constructor(size = 200_000) {
    this.values = new Float64Array(size);
  }
  record(ms: number) {
    this.values[this.count % this.values.length] = ms;
    this.count++;
  }
  reset() {
    this.count = 0;
  }
  percentiles(ps: number[]): number[] {
    const n = Math.min(this.count, this.values.length);
    if (n === 0) return ps.map(() => 0);
    const sorted = Float64Array.from(this.values.subarray(0, n)).sort();
    return ps.map((p) => sorted[Math.min(n - 1, Math.floor((p / 100) * n))]!);
  }
  get size() {
    return Math.min(this.count, this.values.length);
  }
}

export interface SlotTimerHooks {
  /** Runs a started check; settles (never rejects) once it is over and its slot is free. */
  run(check: HeldCheck, startedAt: Date): Promise<void>;
  /** A check that will not run: it would have started too late. */
  dropped(check: HeldCheck): void;
}

/**
 * When held checks start: each on its slot by a local timer, at most `concurrency` at once; a check due while
 * every slot is busy waits in the ready queue for the next free one, unless by then it is too late
 * (startsTooLate). Once stopped, nothing more starts: what was held and not started is kept for handing back.
 */
export class SlotTimer {
  private readonly lags = new LagRecorder();
  private started = 0;
  private skipped = 0;
  private inFlight = 0;
  private readonly ready: HeldCheck[] = [];
  private readonly timers = new Map<HeldCheck, NodeJS.Timeout>();
  private readonly unstarted: HeldCheck[] = [];
  private stopped = false;

  constructor(
    private readonly concurrency: number,
    private readonly hooks: SlotTimerHooks,
    private readonly clock: () => number = Date.now,
  ) {}

  /** How many more checks to fetch: no more than can start soon, so what this worker cannot run is left for others. */
  get room(): number {
    return this.concurrency * 2 - this.inFlight - this.waiting;
  }

  /** Checks held but not started: waiting for their slot or for a free one. */
  private get waiting(): number {
    return this.ready.length + this.timers.size;
  }

  stats() {
    const [p50, p99, max] = this.lags.percentiles([50, 99, 100]);
    return {
      started: this.started,
      skipped: this.skipped,
      inFlight: this.inFlight,
      waiting: this.waiting,
      lagMs: { p50: p50!, p99: p99!, max: max!, samples: this.lags.size },
    };
  }

  /** Start lags are measured afresh from here (a bench skips its warm-up). */
  resetLags(): void {
    this.lags.reset();
  }

  hold(check: HeldCheck): void {
    if (this.stopped) {
      this.unstarted.push(check);
      return;
    }
    const delayMs = check.runAt.getTime() - this.clock();
    if (delayMs <= 0) return this.due(check);
    const timer = setTimeout(() => {
      this.timers.delete(check);
      this.due(check);
    }, delayMs);
    this.timers.set(check, timer);
  }

  /** Starts nothing more; the checks not started are kept for takeUnstarted. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const [check, timer] of this.timers) {
      clearTimeout(timer);
      this.unstarted.push(check);
    }
    this.timers.clear();
    this.unstarted.push(...this.ready);
    this.ready.length = 0;
  }

  /** Resolves once no check is running, or after `graceMs`, whichever comes first. */
  async whenIdle(graceMs: number): Promise<void> {
    const end = Date.now() + graceMs;
    while (this.inFlight > 0 && Date.now() < end) await delay(50);
  }

  /** After stop: every check held and never started (including any held since). */
  takeUnstarted(): HeldCheck[] {
    return this.unstarted.splice(0);
  }

  private due(check: HeldCheck): void {
    if (this.dropIfTooLate(check)) return;
    if (this.inFlight < this.concurrency) this.start(check);
    else this.ready.push(check);
  }

  private dropIfTooLate(check: HeldCheck): boolean {
    if (!startsTooLate(check, this.clock())) return false;
    this.skipped++;
    this.hooks.dropped(check);
    return true;
  }

  private start(check: HeldCheck): void {
    const now = this.clock();
    this.inFlight++;
    this.started++;
    this.lags.record(now - check.runAt.getTime());
    void this.hooks.run(check, new Date(now)).finally(() => {
      this.inFlight--;
      this.startNextReady();
    });
  }

  private startNextReady(): void {
    while (!this.stopped) {
      const next = this.ready.shift();
      if (!next) return;
      if (!this.dropIfTooLate(next)) return this.start(next);
    }
  }
}
