/**
 * `npx tsx bench/ssh-roundtrip.ts`: what one remote command over one fresh connection costs, which is
 * the shape of a rollback's critical step, against the OpenSSH client doing the same.
 *
 *   deckhand: connectSsh (pinned host key) + exec("true") + close, in this process
 *   openssh:  ssh -i key -p port -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null user@127.0.0.1 true
 *
 * Starts its own sshd through the test harness (127.0.0.1 only). The two are interleaved run by run so
 * machine noise hits both alike; medians are printed with the ratio. Target: deckhand not slower.
 * Flags: --runs <n> (default 20).
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { connectSsh } from "../lib/ssh";
import { startSshd, type TestSshd } from "../test/harness/sshd";

const { values: flags } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
const RUNS = Number(flags.runs);
const say = (m: string) => process.stdout.write(`${m}\n`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function deckhandRun(sshd: TestSshd): Promise<{ total: number; connect: number; exec: number }> {
  const started = performance.now();
  const session = await connectSsh(sshd.target(), { connectTimeoutMs: 10_000 });
  const connected = performance.now();
  const result = await session.exec("true");
  const executed = performance.now();
  session.close();
  if (result.exitCode !== 0) throw new Error(`exec true exited with ${result.exitCode}: ${result.stderr}`);
  return { total: performance.now() - started, connect: connected - started, exec: executed - connected };
}

function opensshRun(sshd: TestSshd): Promise<number> {
  const args = ["-i", sshd.privateKeyPath, "-p", String(sshd.port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", `${sshd.username}@127.0.0.1`, "true"];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("ssh", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`ssh exited with ${code}: ${stderr}`))));
  });
}

async function sessionOnlyRuns(sshd: TestSshd, runs: number): Promise<number[]> {
  const session = await connectSsh(sshd.target(), { connectTimeoutMs: 10_000 });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await session.exec("true");
    times.push(performance.now() - started);
  }
  session.close();
  return times;
}

const sshd = await startSshd({ logLevel: "ERROR" });
try {
  // Warm-up: first runs pay for module loading, page cache and sshd's first fork.
  for (let i = 0; i < 2; i++) {
    await deckhandRun(sshd);
    await opensshRun(sshd);
  }
  const deckhand: { total: number; connect: number; exec: number }[] = [];
  const openssh: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    deckhand.push(await deckhandRun(sshd));
    openssh.push(await opensshRun(sshd));
  }
  const reused = await sessionOnlyRuns(sshd, RUNS);

  const d = median(deckhand.map((r) => r.total));
  const o = median(openssh);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  say(`ssh round trip, ${RUNS} runs each (interleaved), sshd on 127.0.0.1:${sshd.port}, ed25519 host and client keys`);
  say(`  deckhand connectSsh + exec("true") + close   median ${fmt(d)}  (connect ${fmt(median(deckhand.map((r) => r.connect)))}, exec ${fmt(median(deckhand.map((r) => r.exec)))})`);
  say(`  openssh  ssh ... true                         median ${fmt(o)}`);
  say(`  exec("true") on an already open session      median ${fmt(median(reused))}`);
  say(`  ratio deckhand / openssh: ${(d / o).toFixed(2)} (target <= 1.00: ${d <= o ? "met" : "NOT met"})`);
  say("  note: both include the remote login shell's start-up files (sshd runs `$SHELL -c` for every command)");
} finally {
  await sshd.stop();
}
