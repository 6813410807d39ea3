export function formatUptime(v: number | null): string {
  if (v === null) return "—";
  if (v === 100) return "100%";
  return `${v >= 99.9 ? v.toFixed(3) : v.toFixed(2)}%`;
}

export function uptimeTone(v: number | null): string {
  if (v === null) return "text-slate-400";
  if (v >= 99.9) return "text-emerald-700";
  if (v >= 99) return "text-amber-700";
  return "text-rose-700";
}

/** "12 s ago", computed where the page renders (the page refreshes itself, so it stays current). */
export function timeAgo(ms: number | null, now = Date.now()): string {
  if (ms === null) return "never";
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 2 * 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export function formatSeconds(total: number): string {
  if (total < 60) return `${total} s`;
  if (total < 3600) return `${Math.floor(total / 60)} min ${total % 60 ? `${total % 60} s` : ""}`.trim();
  if (total < 86_400) return `${Math.floor(total / 3600)} h ${Math.round((total % 3600) / 60)} min`;
  return `${Math.floor(total / 86_400)} d ${Math.round((total % 86_400) / 3600)} h`;
}
