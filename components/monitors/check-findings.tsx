import type { AssertionResult } from "@/lib/health/assertions";
import type { MonitorPageData, MonitorView } from "@/lib/queries/monitors";
import { Section } from "../ui/section";
import { Table } from "../ui/table";
import { formatTime } from "../ui/time";

/** Days left on a certificate, red within a week, amber within a month. */
export function CertDaysLeft({ days }: { days: number }) {
  const tone = days <= 7 ? "text-rose-700" : days <= 30 ? "text-amber-700" : "text-emerald-700";
  const text = days <= 0 ? "certificate expired" : `certificate: ${days} day${days === 1 ? "" : "s"} left`;
  return (
    <span className={`block text-xs font-medium ${tone}`} data-testid="cert-days-left" data-days={days}>
      {text}
    </span>
  );
}

function DegradedNote({ detail }: { detail: string | null }) {
  return (
    <p className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-amber-300" data-testid="degraded-reason">
      Degraded: {detail ?? "slower than its threshold"}. It counts as up for uptime.
    </p>
  );
}

function Certificate({ monitor }: { monitor: MonitorView }) {
  if (monitor.certNotAfter === null || monitor.certDaysLeft === null) return null;
  return (
    <dl className="mb-4 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]" data-testid="certificate-facts">
      <dt className="text-slate-500">Certificate</dt>
      <dd>
        <CertDaysLeft days={monitor.certDaysLeft} />
      </dd>
      <dt className="text-slate-500">Expires</dt>
      <dd>{formatTime(monitor.certNotAfter)}</dd>
      <dt className="text-slate-500">Subject</dt>
      <dd className="break-all font-mono text-xs">{monitor.certSubject || "—"}</dd>
      <dt className="text-slate-500">Issuer</dt>
      <dd className="break-all font-mono text-xs">{monitor.certIssuer || "—"}</dd>
      <dt className="text-slate-500">Warnings at</dt>
      <dd>
        {monitor.certWarnDays.join(", ")} days{monitor.certAlertedDays !== null ? ` (sent down to ${monitor.certAlertedDays} days)` : ""}
      </dd>
    </dl>
  );
}

function Assertions({ results }: { results: AssertionResult[] }) {
  return (
    <Table<AssertionResult>
      data-testid="assertion-results"
      rows={results}
      empty={null}
      rowKey={(r) => `${r.path} ${r.op} ${r.expected ?? ""}`}
      rowProps={(r) => ({ "data-ok": r.ok ? "true" : "false" })}
      columns={[
        { header: "Result", cell: (r) => <span className={r.ok ? "font-medium text-emerald-700" : "font-medium text-rose-700"}>{r.ok ? "passed" : "failed"}</span> },
        { header: "Condition", className: "font-mono text-xs", cell: (r) => `${r.path} ${r.op}${r.expected !== null ? ` ${r.expected}` : ""}` },
        { header: "Got", className: "font-mono text-xs break-all", cell: (r) => r.actual ?? "(missing)" },
      ]}
    />
  );
}

/** What the last check found: why the monitor is degraded, its certificate's days left, each assertion's result. */
export function CheckFindings({ monitor, lastCheck }: { monitor: MonitorView; lastCheck: MonitorPageData["lastCheck"] }) {
  const assertions = lastCheck?.facts?.assertions ?? [];
  const hasCert = monitor.certNotAfter !== null;
  if (monitor.status !== "degraded" && !hasCert && assertions.length === 0) return null;
  return (
    <Section title="Last check" className="mb-6" data-testid="check-findings">
      {monitor.status === "degraded" ? <DegradedNote detail={lastCheck?.detail ?? null} /> : null}
      <Certificate monitor={monitor} />
      {assertions.length ? <Assertions results={assertions} /> : null}
    </Section>
  );
}
