-- Audit review (issue 5): indexes that keep the first page of every audit-log filter fast at millions of
-- events. Each one lets a filter walk its own matches newest-first ("… ORDER BY id DESC LIMIT n") instead of
-- collecting and sorting every match. Written by hand: Prisma's schema language cannot express expression or
-- trigram indexes.

-- actor filter: case-insensitive equality on the label.
CREATE INDEX "AuditEvent_actorLabel_lower_id_idx" ON "AuditEvent" (lower("actorLabel"), "id");

-- "my own events" for deployers and viewers.
CREATE INDEX "AuditEvent_actorId_id_idx" ON "AuditEvent" ("actorId", "id");

-- target filter: by id, by name (case-insensitive), or by type alone.
CREATE INDEX "AuditEvent_targetId_id_idx" ON "AuditEvent" ("targetId", "id");
CREATE INDEX "AuditEvent_targetName_lower_id_idx" ON "AuditEvent" (lower("targetName"), "id");
CREATE INDEX "AuditEvent_targetType_id_idx" ON "AuditEvent" ("targetType", "id");

-- Free-text search is a substring match over actor, action, target name and IP. A trigram index answers it
-- when pg_trgm can be installed (it ships with PostgreSQL's contrib and the embedded server, and is a trusted
-- extension since PostgreSQL 13); without it the same query still works, only without the index.
-- lib/queries/audit.ts repeats this expression verbatim: the planner only uses the index on an identical one.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXECUTE $sql$
      CREATE INDEX "AuditEvent_search_trgm_idx" ON "AuditEvent" USING gin (
        lower("actorLabel" || ' ' || "action" || ' ' || coalesce("targetName", '') || ' ' || coalesce("ip", '')) gin_trgm_ops
      )
    $sql$;
  ELSE
    RAISE NOTICE 'pg_trgm is not available: audit free-text search will scan instead of using an index';
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'pg_trgm could not be installed (insufficient privilege): audit free-text search will scan';
END;
$$;
