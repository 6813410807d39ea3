import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** Prisma's answer when another process held the migration lock for its whole 10 s wait. */
const LOCK_TIMEOUT = /P1002[\s\S]*advisory lock/;
const LOCK_ATTEMPTS = 6;

/**
 * Applies pending migrations with Prisma's own migrate engine (Wasm, through the pg adapter). Every web
 * and worker process migrates at start, so several starting together (a restart of both services, N
 * replicas) queue on Prisma's advisory lock; the one that waits past Prisma's 10 s tries again rather than
 * failing its start.
 */
export async function migrateDatabase(url: string, onOutput?: (line: string) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateDeployOnce(url, onOutput);
    } catch (err) {
      if (attempt >= LOCK_ATTEMPTS || !(err instanceof Error) || !LOCK_TIMEOUT.test(err.message)) throw err;
      onOutput?.(`another process holds the migration lock: waiting again (attempt ${attempt + 1} of ${LOCK_ATTEMPTS})`);
    }
  }
}

function migrateDeployOnce(url: string, onOutput?: (line: string) => void): Promise<void> {
  const cli = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split("\n")) if (line.trim()) onOutput?.(line);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output.trim()}`))));
  });
}
