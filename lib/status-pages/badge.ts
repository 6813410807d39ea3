/** Shields-style flat SVG badges ("label | message"), drawn here: no outside service, no fonts to load. */

const COLORS = { green: "#15803d", red: "#b91c1c", amber: "#b45309", grey: "#4b5563" } as const;
export type BadgeColor = keyof typeof COLORS;

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Verdana 11 px averages about 6.5 px a character; wide letters a little more. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[MWmw@%]/.test(ch) ? 9 : /[il.,:;|!' ]/.test(ch) ? 3.5 : /[A-Z0-9]/.test(ch) ? 7.5 : 6.5;
  return Math.ceil(w);
}

function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : s;
}

export function badgeSvg(labelText: string, messageText: string, color: BadgeColor): string {
  const label = clip(labelText, 40);
  const message = clip(messageText, 40);
  const lw = textWidth(label) + 12;
  const mw = textWidth(message) + 12;
  const w = lw + mw;
  const [l, m] = [escapeXml(label), escapeXml(message)];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${m}"><title>${l}: ${m}</title><rect width="${w}" height="20" rx="3" fill="${COLORS.grey}"/><rect x="${lw}" width="${mw}" height="20" rx="3" fill="${COLORS[color]}"/><rect x="${lw}" width="4" height="20" fill="${COLORS[color]}"/><g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="14">${l}</text><text x="${lw + mw / 2}" y="14">${m}</text></g></svg>`;
}

export function statusColor(status: string): BadgeColor {
  if (status === "up" || status === "operational") return "green";
  if (status === "down" || status === "major_outage") return "red";
  if (status === "partial_outage" || status === "degraded") return "amber";
  return "grey";
}

const WORDS: Record<string, string> = { operational: "operational", partial_outage: "partial outage", major_outage: "major outage", no_data: "no data", up: "up", down: "down", pending: "pending", paused: "paused" };

export function statusWord(status: string): string {
  return WORDS[status] ?? status.replace(/_/g, " ");
}

export function svgResponse(svg: string, status = 200): Response {
  return new Response(svg, { status, headers: { "content-type": "image/svg+xml; charset=utf-8", "cache-control": "public, max-age=10" } });
}
