import { spawn, type ChildProcess } from "node:child_process";
import type { Logger } from "pino";

/** Restart delays: 1 s doubling to 30 s; a child that ran a minute without dying starts again from 1 s. */
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
const HEALTHY_AFTER_MS = 60_000;

/**
 * One child process kept running: if it exits on its own it is started again after a backoff, and the other
 * children are left alone (a dead worker does not take the web app down, nor the other way round).
 */
export class SupervisedChild {
  private child: ChildProcess | null = null;
  private delayMs = FIRST_DELAY_MS;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  restarts = 0;

  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly opts: { cwd: string; env: NodeJS.ProcessEnv; log: Logger },
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const startedAt = Date.now();
    // An IPC channel, so the child notices when this supervisor dies however it dies (it stops itself).
    const child = spawn(process.execPath, this.args, { cwd: this.opts.cwd, env: this.opts.env, stdio: ["inherit", "inherit", "inherit", "ipc"] });
    this.child = child;
    this.opts.log.info({ process: this.name, pid: child.pid }, `${this.name} process started`);
    child.on("exit", (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.stopping) return;
      if (Date.now() - startedAt > HEALTHY_AFTER_MS) this.delayMs = FIRST_DELAY_MS;
      const delayMs = this.delayMs;
      this.delayMs = Math.min(MAX_DELAY_MS, this.delayMs * 2);
      this.restarts++;
      this.opts.log.error({ process: this.name, pid: child.pid, code, signal, restartInMs: delayMs }, `${this.name} process exited; restarting it`);
      this.restartTimer = setTimeout(() => this.start(), delayMs);
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited within the grace. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), graceMs).unref();
    });
  }
}
