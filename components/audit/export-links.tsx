import { buttonClass } from "../ui/form";
import { filterQuery, type AuditFilterValues } from "./audit-filters";

/** CSV and JSON downloads of what the current filter shows, up to `cap` events. */
export function AuditExportLinks({ values, cap }: { values: AuditFilterValues; cap: number }) {
  return (
    <div className="flex gap-2" title={`Up to ${cap.toLocaleString("en")} events of the current filter`}>
      <a href={`/api/v1/audit/export?${filterQuery(values, { format: "csv" })}`} download className={buttonClass("secondary")} data-testid="audit-export-csv">
        Export CSV
      </a>
      <a href={`/api/v1/audit/export?${filterQuery(values, { format: "json" })}`} download className={buttonClass("secondary")} data-testid="audit-export-json">
        Export JSON
      </a>
    </div>
  );
}
