-- The monitor page's degraded bands (lib/queries/degraded.ts) first find where a monitor's degraded checks are
-- in the range (flags bit 8): a partial index holds only those rows, so a monitor with none answers from an
-- empty index and the window query reads only the stretch between its first and last degraded check.
CREATE INDEX "CheckResultData_degraded_idx" ON "CheckResultData" ("monitorSeq", "at") WHERE ("flags" & 8) <> 0;
