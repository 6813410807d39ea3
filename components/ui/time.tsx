/** Absolute UTC time, readable and unambiguous across a team's time zones. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/** The same to the minute, where seconds are noise (when a token was last used). */
export function formatMinute(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

export function formatDuration(from: number | null, to: number | null): string {
  if (from === null) return "";
  const ms = (to ?? Date.now()) - from;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
