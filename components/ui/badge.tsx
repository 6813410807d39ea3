const tones: Record<string, string> = {
  succeeded: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  up: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  pinned: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  success: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  running: "bg-sky-50 text-sky-700 ring-sky-200",
  queued: "bg-slate-50 text-slate-600 ring-slate-200",
  awaiting_approval: "bg-violet-50 text-violet-700 ring-violet-200",
  rejected: "bg-rose-50 text-rose-700 ring-rose-200",
  expired: "bg-slate-50 text-slate-500 ring-slate-200",
  pending: "bg-slate-50 text-slate-600 ring-slate-200",
  building: "bg-sky-50 text-sky-700 ring-sky-200",
  skipped: "bg-slate-50 text-slate-500 ring-slate-200",
  unpinned: "bg-amber-50 text-amber-700 ring-amber-200",
  cancelled: "bg-amber-50 text-amber-700 ring-amber-200",
  interrupted: "bg-amber-50 text-amber-800 ring-amber-300",
  removed: "bg-slate-50 text-slate-400 ring-slate-200",
  failed: "bg-rose-50 text-rose-700 ring-rose-200",
  failure: "bg-rose-50 text-rose-700 ring-rose-200",
  denied: "bg-rose-50 text-rose-700 ring-rose-200",
  down: "bg-rose-50 text-rose-700 ring-rose-200",
  maintenance: "bg-violet-50 text-violet-700 ring-violet-200",
  degraded: "bg-amber-50 text-amber-800 ring-amber-300",
  mismatch: "bg-rose-100 text-rose-800 ring-rose-300",
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return (
    <span data-status={value} className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[value] ?? "bg-slate-50 text-slate-600 ring-slate-200"}`}>
      {label ?? value}
    </span>
  );
}
