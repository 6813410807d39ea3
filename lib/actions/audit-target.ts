import type { AuditTarget } from "../audit/record";

/** `serverId` → "server", `channelId` → "notification_channel": the target types the actions themselves use. */
const TYPE_OF_FIELD: Record<string, string> = { channelId: "notification_channel", pageId: "status_page", statusPageId: "status_page", windowId: "maintenance" };

/** Only what is safe to store as it is: a hostile input (NUL, a lone surrogate) was refused and is not echoed. */
const SAFE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const isSafeName = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 200 && !/[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v);

function fieldType(key: string): string {
  return TYPE_OF_FIELD[key] ?? key.slice(0, -2).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * What an action's (possibly invalid) input says it is about, for an event written before the handler could
 * name its target (refused, invalid, or failed early): the field that matches the action's own kind
 * (`serverId` for server.*), else the first `…Id` field, else a name-like field, else the action itself.
 */
export function inputTarget(action: string, raw: unknown): AuditTarget {
  const kind = action.split(".")[0]!;
  const input = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const ids = Object.entries(input).filter((e): e is [string, string] => e[0].endsWith("Id") && e[0].length > 2 && typeof e[1] === "string" && SAFE_ID.test(e[1]));
  const own = ids.find(([k]) => fieldType(k) === kind) ?? ids[0];
  if (own) return { type: fieldType(own[0]), id: own[1] };
  if (typeof input.id === "string" && SAFE_ID.test(input.id)) return { type: kind, id: input.id };
  const name = ["name", "email", "slug"].map((k) => input[k]).find(isSafeName);
  if (name) return { type: kind, name };
  return { type: kind, name: `(not identified: ${action} was refused before naming it)` };
}
