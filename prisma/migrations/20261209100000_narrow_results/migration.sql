-- Storage (issue 16): check results in a narrow table partitioned by day, behind a view of the old shape.
--
-- "CheckResultData" holds one row per check: when, the monitor's integer seq (not its 25-byte cuid), latency in
-- whole ms, the release's integer seq, the four flags in one smallint (1 ok, 2 in deploy window, 4 in maintenance,
-- 8 degraded), the detail (not for a plain "HTTP 200" up check), and facts. Partitions are days (UTC), created
-- ahead by the retention job (lib/health/partitions.ts) and dropped whole when they pass the raw retention; a
-- default partition catches anything outside them. "CheckResult" is a view with the old columns, so Prisma reads
-- (and test inserts, through a trigger) keep working; the write path and the hot reads use the table directly.

-- Integer keys for monitors and releases (never reused: serial).
ALTER TABLE "Monitor" ADD COLUMN "seq" SERIAL NOT NULL;
CREATE UNIQUE INDEX "Monitor_seq_key" ON "Monitor"("seq");
ALTER TABLE "Release" ADD COLUMN "seq" SERIAL NOT NULL;
CREATE UNIQUE INDEX "Release_seq_key" ON "Release"("seq");

CREATE TABLE "CheckResultData" (
    "at" TIMESTAMP(3) NOT NULL,
    "monitorSeq" INTEGER NOT NULL,
    "latencyMs" INTEGER,
    "releaseSeq" INTEGER,
    "flags" SMALLINT NOT NULL DEFAULT 0,
    "detail" TEXT,
    "facts" JSONB
) PARTITION BY RANGE ("at");

-- No foreign key on releaseSeq: a deleted release's seq is never reused, and the view's LEFT JOIN reads it as NULL
-- (what ON DELETE SET NULL did), without a scan of every partition per deleted release.
ALTER TABLE "CheckResultData" ADD CONSTRAINT "CheckResultData_monitorSeq_fkey" FOREIGN KEY ("monitorSeq") REFERENCES "Monitor"("seq") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "CheckResultData_monitorSeq_at_idx" ON "CheckResultData"("monitorSeq", "at");
CREATE INDEX "CheckResultData_at_brin" ON "CheckResultData" USING brin ("at") WITH (pages_per_range = 32);

CREATE TABLE "CheckResultData_default" PARTITION OF "CheckResultData" DEFAULT;

-- Creates the daily partitions of [fromDay, toDay) that do not exist yet (rows already in the default partition for
-- such a day are moved into it). Returns how many it created.
CREATE FUNCTION deckhand_ensure_result_partitions(from_day date, to_day date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  d date := from_day;
  made integer := 0;
  name text;
BEGIN
  -- One at a time across workers (the lock ends with the calling statement's transaction).
  PERFORM pg_advisory_xact_lock(1319203843);
  WHILE d < to_day LOOP
    name := 'CheckResultData_' || to_char(d, 'YYYYMMDD');
    IF to_regclass(quote_ident(name)) IS NULL THEN
      -- CREATE + ATTACH rather than CREATE ... PARTITION OF: attaching locks the parent only against other schema
      -- changes (SHARE UPDATE EXCLUSIVE), so result writes go on meanwhile.
      EXECUTE format('CREATE TABLE %I (LIKE "CheckResultData" INCLUDING DEFAULTS)', name);
      EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK ("at" >= %L AND "at" < %L)', name, name || '_day', d, d + 1);
      EXECUTE format('WITH moved AS (DELETE FROM "CheckResultData_default" WHERE "at" >= %L AND "at" < %L RETURNING *) INSERT INTO %I SELECT * FROM moved', d, d + 1, name);
      EXECUTE format('ALTER TABLE "CheckResultData" ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, d, d + 1);
      made := made + 1;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN made;
END $$;

-- Partitions for the history already kept and the next days, then the history itself.
SELECT deckhand_ensure_result_partitions(
  coalesce((SELECT min("at")::date FROM "CheckResult"), (now() AT TIME ZONE 'UTC')::date),
  (now() AT TIME ZONE 'UTC')::date + 3);

INSERT INTO "CheckResultData" ("at", "monitorSeq", "latencyMs", "releaseSeq", "flags", "detail", "facts")
SELECT c."at", m."seq", round(c."latencyMs")::integer, r."seq",
       (CASE WHEN c.ok THEN 1 ELSE 0 END + CASE WHEN c."inDeployWindow" THEN 2 ELSE 0 END + CASE WHEN c."inMaintenance" THEN 4 ELSE 0 END + CASE WHEN c.degraded THEN 8 ELSE 0 END)::smallint,
       CASE WHEN c.ok AND NOT c.degraded AND c.detail ~ '^HTTP [23][0-9][0-9]$' THEN NULL ELSE c.detail END, c.facts
FROM "CheckResult" c JOIN "Monitor" m ON m."id" = c."monitorId" LEFT JOIN "Release" r ON r."id" = c."releaseId";

DROP TABLE "CheckResult";

CREATE VIEW "CheckResult" AS
SELECT c."at", m."id" AS "monitorId", c."latencyMs"::double precision AS "latencyMs", (c."flags" & 1) <> 0 AS "ok", c."detail", r."id" AS "releaseId",
       (c."flags" & 2) <> 0 AS "inDeployWindow", (c."flags" & 4) <> 0 AS "inMaintenance", (c."flags" & 8) <> 0 AS "degraded", c."facts"
FROM "CheckResultData" c
JOIN "Monitor" m ON m."seq" = c."monitorSeq"
LEFT JOIN "Release" r ON r."seq" = c."releaseSeq";

ALTER VIEW "CheckResult" ALTER COLUMN "at" SET DEFAULT CURRENT_TIMESTAMP;
ALTER VIEW "CheckResult" ALTER COLUMN "inDeployWindow" SET DEFAULT false;
ALTER VIEW "CheckResult" ALTER COLUMN "inMaintenance" SET DEFAULT false;
ALTER VIEW "CheckResult" ALTER COLUMN "degraded" SET DEFAULT false;

-- Inserts into the view (tests, seeds) land in the table; an unknown monitor is refused like the old foreign key.
CREATE FUNCTION deckhand_check_result_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mseq integer;
  rseq integer;
BEGIN
  SELECT "seq" INTO mseq FROM "Monitor" WHERE "id" = NEW."monitorId";
  IF mseq IS NULL THEN
    RAISE EXCEPTION 'insert on "CheckResult" violates foreign key: monitor % does not exist', NEW."monitorId" USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF NEW."releaseId" IS NOT NULL THEN
    SELECT "seq" INTO rseq FROM "Release" WHERE "id" = NEW."releaseId";
  END IF;
  INSERT INTO "CheckResultData" ("at", "monitorSeq", "latencyMs", "releaseSeq", "flags", "detail", "facts")
  VALUES (coalesce(NEW."at", CURRENT_TIMESTAMP), mseq, round(NEW."latencyMs")::integer, rseq,
          (CASE WHEN NEW.ok THEN 1 ELSE 0 END + CASE WHEN coalesce(NEW."inDeployWindow", false) THEN 2 ELSE 0 END
           + CASE WHEN coalesce(NEW."inMaintenance", false) THEN 4 ELSE 0 END + CASE WHEN coalesce(NEW.degraded, false) THEN 8 ELSE 0 END)::smallint,
          NEW."detail", NEW."facts");
  NEW."latencyMs" := round(NEW."latencyMs");
  RETURN NEW;
END $$;

CREATE TRIGGER "CheckResult_insert" INSTEAD OF INSERT ON "CheckResult" FOR EACH ROW EXECUTE FUNCTION deckhand_check_result_insert();
