import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { auditScope } from "../auth/permissions";
import { auditExportSchema } from "../actions/schemas/audit";
import { streamAuditExport } from "../queries/audit";
import { CSV_COLUMNS, csvCell } from "./export";
import { recordAudit } from "./record";
import { verifyAuditChain } from "./verify";

describe("csvCell", () => {
  it("leaves plain text alone and renders null as an empty cell", () => {
    expect(csvCell("alice@example.com")).toBe("alice@example.com");
    expect(csvCell("")).toBe("");
    expect(csvCell(null)).toBe("");
  });

  it("quotes commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line1\nline2")).toBe('"line1\nline2"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
  });

  it("neutralises cells a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\r=1")).toBe(`"'\r=1"`);
    expect(csvCell("a=b")).toBe("a=b");
  });
});

/** A small RFC 4180 reader, so the export is checked by parsing it back rather than by string matching. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell || row.length) throw new Error("CSV does not end with CRLF");
  return rows;
}

async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

const admin: Principal = { kind: "user", id: "u-admin", email: "admin@example.com", name: null, role: "admin" };
const deployer: Principal = { kind: "user", id: "u-dep", email: "dep@example.com", name: null, role: "deployer" };
const NASTY_NAME = '=cmd|"/c calc"!A1, and\na new line';

describe("streamAuditExport", () => {
  beforeAll(async () => {
    const meta = { ip: "192.0.2.10", userAgent: '@evil "agent", v1' };
    for (let i = 0; i < 30; i++) {
      await db().$transaction((tx) =>
        recordAudit(tx, {
          actor: i % 3 === 0 ? deployer : admin,
          meta,
          action: i % 2 === 0 ? "deploy.start" : "app.update",
          target: { type: i % 2 === 0 ? "deploy" : "app", id: `t-${i}`, name: i === 7 ? NASTY_NAME : `-name ${i}` },
          outcome: "success",
          summary: { i, note: '+1, "quoted"' },
        }),
      );
    }
  });

  it("CSV: a header, then every event of the filter newest first, each cell read back exactly", async () => {
    const filter = auditExportSchema.parse({ format: "csv" });
    const rows = parseCsv(await read(streamAuditExport(filter, auditScope(admin), "csv")));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const body = rows.slice(1);
    expect(body).toHaveLength(30);
    const stored = await db().auditEvent.findMany({ orderBy: { id: "desc" } });
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    expect(body.map((r) => r[col("id")])).toEqual(stored.map((e) => e.id.toString()));
    const nasty = body.find((r) => r[col("targetId")] === "t-7")!;
    expect(nasty[col("targetName")]).toBe(`'${NASTY_NAME}`);
    expect(nasty[col("userAgent")]).toBe(`'@evil "agent", v1`);
    expect(nasty[col("at")]).toBe(stored.find((e) => e.targetId === "t-7")!.at.toISOString());
    expect(JSON.parse(nasty[col("summary")]!)).toEqual({ i: 7, note: '+1, "quoted"' });
    expect(body.find((r) => r[col("targetId")] === "t-8")![col("targetName")]).toBe("'-name 8");
    for (const r of body) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  it("JSON: the filter applied, every column, and a complete document", async () => {
    const filter = auditExportSchema.parse({ format: "json", action: "deploy.", target: "deploy:" });
    const doc = JSON.parse(await read(streamAuditExport(filter, auditScope(admin), "json"))) as {
      filter: Record<string, unknown>;
      events: { id: string; action: string; hash: string; prevHash: string; summary: unknown }[];
      count: number;
      truncated: boolean;
      nextCursor: string | null;
    };
    expect(doc.filter).toMatchObject({ action: "deploy.", target: "deploy:" });
    expect(doc.events).toHaveLength(15);
    expect(doc.count).toBe(15);
    expect(doc.truncated).toBe(false);
    expect(doc.nextCursor).toBeNull();
    expect(doc.events.every((e) => e.action === "deploy.start")).toBe(true);
    const ids = doc.events.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
    expect(doc.events[0]).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), summary: { i: expect.any(Number) } });
  });

  it("stops at the cap: JSON says it was truncated and where to continue, and continuing gets the rest", async () => {
    const filter = auditExportSchema.parse({ format: "json" });
    const first = JSON.parse(await read(streamAuditExport(filter, auditScope(admin), "json", { cap: 12 }))) as { events: { id: string }[]; truncated: boolean; nextCursor: string };
    expect(first.events).toHaveLength(12);
    expect(first.truncated).toBe(true);
    expect(first.nextCursor).toBe(first.events[11]!.id);
    const rest = JSON.parse(await read(streamAuditExport(auditExportSchema.parse({ cursor: first.nextCursor }), auditScope(admin), "json"))) as { events: { id: string }[]; truncated: boolean };
    expect(rest.events).toHaveLength(18);
    expect(rest.truncated).toBe(false);
    const csv = parseCsv(await read(streamAuditExport(filter, auditScope(admin), "csv", { cap: 5 })));
    expect(csv).toHaveLength(6);
  });

  it("an empty result is still a valid document", async () => {
    const filter = auditExportSchema.parse({ format: "json", actor: "nobody@example.com" });
    expect(JSON.parse(await read(streamAuditExport(filter, auditScope(admin), "json")))).toMatchObject({ events: [], count: 0, truncated: false });
    expect(parseCsv(await read(streamAuditExport(filter, auditScope(admin), "csv")))).toEqual([[...CSV_COLUMNS]]);
  });

  it("a non-admin's export holds only their own events", async () => {
    const doc = JSON.parse(await read(streamAuditExport(auditExportSchema.parse({}), auditScope(deployer), "json"))) as { events: { actorId: string }[] };
    expect(doc.events).toHaveLength(10);
    expect(doc.events.every((e) => e.actorId === "u-dep")).toBe(true);
  });

  it("exporting writes nothing to the chain", async () => {
    const before = await verifyAuditChain();
    await read(streamAuditExport(auditExportSchema.parse({}), auditScope(admin), "csv"));
    expect(await verifyAuditChain()).toEqual(before);
  });
});
