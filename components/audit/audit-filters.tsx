import Link from "next/link";
import { cardClass } from "../ui/card";
import { Button, Field, Select, TextInput } from "../ui/form";

export const AUDIT_FILTER_KEYS = ["actor", "action", "target", "outcome", "from", "to", "q"] as const;
export type AuditFilterValues = Partial<Record<(typeof AUDIT_FILTER_KEYS)[number], string>>;

/** The filter's own query string (no cursor): what "Older", "Export" and a shared link carry. */
export function filterQuery(values: AuditFilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const v = values[key]?.trim();
    if (v) params.set(key, v);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

/**
 * The prefixes the names share ("deploy." covers every deploy event), then the names; a value from a shared
 * link that is not in the list is kept, so the select still shows what is being filtered.
 */
function actionOptions(names: string[], current: string | undefined): string[] {
  const prefixes = new Set(names.filter((n) => n.includes(".")).map((n) => n.slice(0, n.indexOf(".") + 1)));
  const all = [...[...prefixes].sort(), ...names];
  return current && !all.includes(current) ? [current, ...all] : all;
}

/**
 * A plain GET form: the filter lives in the URL, so a filtered view is a link to share, and it works before
 * (or without) JavaScript.
 */
export function AuditFilters({ values, actionNames, actorLabels }: { values: AuditFilterValues; actionNames: string[]; actorLabels: string[] | null }) {
  return (
    <form method="get" action="/audit" role="search" aria-label="Filter audit events" className={cardClass("sm", "mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-8 lg:items-end")}>
      {actorLabels ? (
        <Field label="Actor">
          <TextInput name="actor" defaultValue={values.actor} list="audit-actors" placeholder="alice@example.com" data-testid="audit-filter-actor" />
          <datalist id="audit-actors">
            {actorLabels.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </Field>
      ) : null}
      <Field label="Action">
        <Select name="action" defaultValue={values.action ?? ""} data-testid="audit-filter-action">
          <option value="">any</option>
          {actionOptions(actionNames, values.action).map((a) => (
            <option key={a} value={a}>
              {a.endsWith(".") ? `${a}* (every ${a.slice(0, -1)} event)` : a}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Target">
        <TextInput name="target" defaultValue={values.target} placeholder="deploy:<id> or a name" data-testid="audit-filter-target" />
      </Field>
      <Field label="Outcome">
        <Select name="outcome" defaultValue={values.outcome ?? ""} data-testid="audit-filter-outcome">
          <option value="">any</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
          <option value="denied">denied</option>
        </Select>
      </Field>
      <Field label="From">
        <TextInput name="from" type="date" defaultValue={values.from} aria-describedby="audit-dates-utc" data-testid="audit-filter-from" />
      </Field>
      <Field label="To">
        <TextInput name="to" type="date" defaultValue={values.to} aria-describedby="audit-dates-utc" data-testid="audit-filter-to" />
      </Field>
      <Field label="Search">
        <TextInput name="q" type="search" defaultValue={values.q} placeholder="text, IP…" data-testid="audit-filter-q" />
      </Field>
      <p id="audit-dates-utc" className="text-xs text-slate-500 sm:col-span-4 lg:col-span-8 lg:order-last" data-testid="audit-dates-note">
        From and To are whole days in UTC, both included.
      </p>
      <div className="flex gap-2">
        <Button type="submit" data-testid="audit-filter-apply">
          Filter
        </Button>
        <Link href="/audit" className="inline-flex items-center rounded-md px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-300 hover:bg-slate-50">
          Clear
        </Link>
      </div>
    </form>
  );
}
