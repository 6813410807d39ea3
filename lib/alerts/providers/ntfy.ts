import { z } from "zod";
import { clip, clipBytes, type AlertMessage, type Tone } from "../message";
import { postJson } from "../webhook";
import { baseUrl } from "./fields";
import { urlHint, urlHost, type AlertProvider } from "./types";

/**
 * ntfy, published as JSON to the server's root URL. From ntfy's reference: `topic` required (1–64 of
 * A–Z a–z 0–9 _ -), `message` at most 4,096 bytes (longer becomes an attachment, so it is cut), `priority`
 * 1–5, at most 3 `actions` (`view` with a label and an http(s) URL), `click` opens the object. A token is sent
 * as `Authorization: Bearer`.
 */
export const NTFY_LIMITS = { messageBytes: 4_096, title: 250, actions: 3 } as const;
export const NTFY_SERVER = "https://ntfy.sh";

const PRIORITY: Record<Tone, number> = { bad: 5, warn: 4, good: 3, info: 3 };
const TAGS: Record<Tone, string> = { bad: "rotating_light", warn: "warning", good: "white_check_mark", info: "information_source" };

const config = z.object({
  serverUrl: baseUrl(NTFY_SERVER),
  topic: z
    .string()
    .trim()
    .regex(/^[-_A-Za-z0-9]{1,64}$/, "must be 1–64 letters, digits, _ or -"),
  token: z.string().trim().min(1).max(200).optional(),
  priority: z.coerce.number().int().min(1).max(5).optional(),
});
type NtfyConfig = z.infer<typeof config>;

export function ntfyBody(m: AlertMessage, c: Pick<NtfyConfig, "topic" | "priority">): Record<string, unknown> {
  const message = [m.headline, "", ...m.facts.map((f) => `${f.label}: ${f.value}`)].join("\n");
  return {
    topic: c.topic,
    title: clip(m.title, NTFY_LIMITS.title),
    message: clipBytes(message, NTFY_LIMITS.messageBytes),
    priority: c.priority ?? PRIORITY[m.tone],
    tags: [TAGS[m.tone]],
    ...(m.links[0] ? { click: m.links[0].url } : {}),
    actions: m.links.slice(0, NTFY_LIMITS.actions).map((l) => ({ action: "view", label: clip(l.label, 40), url: l.url })),
  };
}

export const ntfyProvider: AlertProvider<NtfyConfig> = {
  type: "ntfy",
  label: "ntfy",
  config,
  secrets: ["token"],
  hosts: (c) => [urlHost(c.serverUrl)],
  hint: (c) => `${urlHint(c.serverUrl).replace(/…$/, "")}${c.topic}`,
  send: (m, c, ctx) => postJson(`${c.serverUrl}/`, ntfyBody(m, c), { ...ctx, headers: c.token ? { authorization: `Bearer ${c.token}` } : {} }),
};
