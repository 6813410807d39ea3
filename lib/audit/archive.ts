import { createHash } from "node:crypto";
import { open, unlink } from "node:fs/promises";
import path from "node:path";
import { db, type Db } from "../db/client";
import { ConflictError, ValidationError } from "../errors";
import { GENESIS_HASH } from "./canonical";
import { toExportedEvent } from "./export";
import { recordAudit, type AuditInput, type RequestMeta } from "./record";
import { readArchiveAnchor, writeArchiveAnchor, type ArchiveAnchor } from "./settings";
import { recomputeHash } from "./verify";

export interface ArchiveOptions {
  /** Events before this moment are archived (and then only as an unbroken run from the oldest one). */
  before: Date;
  /** A new JSONL file (refused if it exists): one event per line, oldest first. */
  out: string;
  actor: AuditInput["actor"];
  meta?: RequestMeta;
  client?: Db;
  batchSize?: number;
}

export interface ArchiveResult {
  count: number;
  firstId: string;
  lastId: string;
  firstAt: string;
  lastAt: string;
  file: string;
  sha256: string;
  anchor: { id: string; hash: string };
}

/**
 * Retention, the only way events leave the table: export the oldest events to a file (checking their chain on
 * the way and fsyncing it), then delete them in one transaction that also moves the archive anchor and records
 * an audit.archive event naming the file's SHA-256 and the new anchor. A chain that does not verify up to the
 * cut is refused: archiving must never hide a break.
 */
/** Returns null when no event is older than `before` (no file is written). */
export async function archiveAuditEvents(options: ArchiveOptions): Promise<ArchiveResult | null> {
  const client = options.client ?? db();
  const batchSize = options.batchSize ?? 5_000;
  if (Number.isNaN(options.before.getTime())) throw new ValidationError("--before must be a date");
  if (options.before > new Date()) throw new ValidationError("--before must not be in the future");

  // Time rises with id along the chain, so "before the date" is a run of the oldest ids.
  const [cut] = await client.$queryRaw<{ id: bigint | null }[]>`
    SELECT min("id") AS id FROM "AuditEvent" WHERE "at" >= ${options.before.toISOString().slice(0, 23)}::timestamp(3)`;
  const last = await client.auditEvent.findFirst({
    where: cut?.id != null ? { id: { lt: cut.id } } : {},
    orderBy: { id: "desc" },
    select: { id: true },
  });
  if (!last) return null;
  const lastId = last.id;

  const anchor = await readArchiveAnchor(client);
  if (anchor === "invalid") throw new ConflictError("The archive anchor setting is malformed: run `deckhand audit verify`");
  const file = path.resolve(options.out);
  const handle = await open(file, "wx", 0o600).catch((err: NodeJS.ErrnoException) => {
    throw new ValidationError(err.code === "EEXIST" ? `${file} already exists: choose a new file` : `cannot create ${file}: ${err.message}`);
  });

  const digest = createHash("sha256");
  let prevHash = anchor?.hash ?? GENESIS_HASH;
  let count = 0;
  let first: { id: string; at: string } | null = null;
  let lastAt = "";
  try {
    let cursor: bigint | undefined;
    for (;;) {
      const rows = await client.auditEvent.findMany({
        where: { id: cursor === undefined ? { lte: lastId } : { gt: cursor, lte: lastId } },
        orderBy: { id: "asc" },
        take: batchSize,
      });
      if (rows.length === 0) break;
      let chunk = "";
      for (const row of rows) {
        if (row.prevHash !== prevHash || row.hash !== recomputeHash(prevHash, row)) {
          throw new ConflictError(`The audit chain is broken at event ${row.id}: refusing to archive it; run \`deckhand audit verify\``);
        }
        const exported = toExportedEvent(row);
        first ??= { id: exported.id, at: exported.at };
        lastAt = exported.at;
        chunk += JSON.stringify(exported) + "\n";
        prevHash = row.hash;
        count++;
        cursor = row.id;
      }
      digest.update(chunk);
      await handle.write(chunk);
    }
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(file).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await syncDirectory(path.dirname(file));

  const sha256 = digest.digest("hex");
  const newAnchor: ArchiveAnchor = { id: lastId.toString(), hash: prevHash, at: lastAt, archivedAt: new Date().toISOString() };
  await client.$transaction(
    async (tx) => {
      // The append-only trigger lets DELETE through only in a transaction that says it is the archive.
      await tx.$executeRaw`SELECT set_config('deckhand.audit_archive', 'on', true)`;
      const deleted = await tx.$executeRaw`DELETE FROM "AuditEvent" WHERE "id" <= ${lastId}`;
      if (deleted !== count) {
        throw new ConflictError(`Expected to remove ${count} archived events but found ${deleted}: another archive ran at the same time; nothing was removed`);
      }
      await writeArchiveAnchor(tx, newAnchor);
      await recordAudit(tx, {
        actor: options.actor,
        meta: options.meta ?? { ip: null, userAgent: null },
        action: "audit.archive",
        target: { type: "audit", name: path.basename(file) },
        outcome: "success",
        summary: {
          count,
          firstId: first!.id,
          lastId: newAnchor.id,
          firstAt: first!.at,
          lastAt,
          before: options.before.toISOString(),
          file: path.basename(file),
          sha256,
          anchor: { id: newAnchor.id, hash: newAnchor.hash },
        },
      });
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
  return { count, firstId: first!.id, lastId: newAnchor.id, firstAt: first!.at, lastAt, file, sha256, anchor: { id: newAnchor.id, hash: newAnchor.hash } };
}

/** The file's directory entry must be durable too before the events it holds are deleted. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
