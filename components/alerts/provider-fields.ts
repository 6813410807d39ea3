/**
 * What the channel forms ask for, per provider (the server validates it all again: lib/alerts/providers).
 * `secret` fields are write-only: never shown again, and left blank in an edit to keep them.
 */
export type ChannelTypeName = "webhook" | "slack" | "discord" | "teams" | "telegram" | "ntfy" | "pagerduty" | "email";

export interface FieldSpec {
  name: string;
  label: string;
  kind?: "text" | "url" | "number" | "password" | "checkbox" | "textarea" | "email-list";
  required?: boolean;
  secret?: boolean;
  placeholder?: string;
  hint?: string;
  /** For checkboxes: ticked when nothing is stored. */
  defaultChecked?: boolean;
}

export const TYPE_LABELS: Record<ChannelTypeName, string> = {
  webhook: "Webhook (signed JSON)",
  slack: "Slack",
  discord: "Discord",
  teams: "Microsoft Teams",
  telegram: "Telegram",
  ntfy: "ntfy",
  pagerduty: "PagerDuty",
  email: "E-mail (SMTP)",
};

export const CHANNEL_TYPE_NAMES = Object.keys(TYPE_LABELS) as ChannelTypeName[];

const webhookUrl = (placeholder: string, hint?: string): FieldSpec => ({ name: "url", label: "Webhook URL", kind: "url", required: true, secret: true, placeholder, hint: hint ?? "Stored encrypted; only its host is shown again." });

export const PROVIDER_FIELDS: Record<ChannelTypeName, FieldSpec[]> = {
  webhook: [
    webhookUrl("https://example.com/deckhand-hook"),
    { name: "secret", label: "Signing secret", kind: "password", secret: true, hint: "At least 16 characters. Leave blank to have one made for you (shown once). See docs/alerts.md to verify signatures." },
  ],
  slack: [webhookUrl("https://hooks.slack.com/services/…", "A Slack incoming webhook, or a Slack-compatible one (Mattermost, Rocket.Chat).")],
  discord: [webhookUrl("https://discord.com/api/webhooks/…"), { name: "username", label: "Bot name", placeholder: "Deckhand" }],
  teams: [webhookUrl("https://….webhook.office.com/… or a Workflows URL", "A Teams Workflows (“When a Teams webhook request is received”) or incoming-webhook URL.")],
  telegram: [
    { name: "botToken", label: "Bot token", kind: "password", required: true, secret: true, placeholder: "123456:ABC…", hint: "From @BotFather." },
    { name: "chatId", label: "Chat id", required: true, placeholder: "-1001234567890 or @channel" },
    { name: "baseUrl", label: "API base URL", kind: "url", placeholder: "https://api.telegram.org", hint: "Change only for a Bot API server of your own." },
  ],
  ntfy: [
    { name: "serverUrl", label: "Server URL", kind: "url", placeholder: "https://ntfy.sh" },
    { name: "topic", label: "Topic", required: true, placeholder: "deckhand-alerts" },
    { name: "token", label: "Access token", kind: "password", secret: true, hint: "Optional: for a protected topic." },
    { name: "priority", label: "Priority (1–5)", kind: "number", hint: "Optional: by default 5 for down, 4 for degraded, 3 otherwise." },
  ],
  pagerduty: [
    { name: "routingKey", label: "Integration key", kind: "password", required: true, secret: true, hint: "The 32-character key of an Events API v2 integration." },
    { name: "baseUrl", label: "Events API base URL", kind: "url", placeholder: "https://events.pagerduty.com" },
  ],
  email: [
    { name: "host", label: "SMTP host", required: true, placeholder: "smtp.example.com" },
    { name: "port", label: "Port", kind: "number", placeholder: "587" },
    { name: "secure", label: "TLS from the start (port 465)", kind: "checkbox" },
    { name: "requireTls", label: "Require STARTTLS otherwise", kind: "checkbox", defaultChecked: true },
    { name: "username", label: "Username" },
    { name: "password", label: "Password", kind: "password", secret: true },
    { name: "from", label: "From", required: true, placeholder: "Deckhand <alerts@example.com>" },
    { name: "to", label: "To", kind: "email-list", required: true, placeholder: "ops@example.com, oncall@example.com", hint: "One or more addresses, separated by commas." },
    { name: "caCertificate", label: "CA certificate (PEM)", kind: "textarea", hint: "Optional: for a relay whose certificate a private CA signed." },
  ],
};

export const SEVERITY_LABELS = {
  down: "Down",
  degraded: "Degraded",
  recovered: "Recovered",
  deploy_failed: "Deploy failed, rolled back or interrupted",
  deploy_succeeded: "Deploy succeeded",
} as const;
export type SeverityName = keyof typeof SEVERITY_LABELS;
export const SEVERITY_NAMES = Object.keys(SEVERITY_LABELS) as SeverityName[];

/**
 * The config a form sends: on create, blanks are left out; on edit, a blank secret is left out (kept) and a
 * blank other field is sent as null (removed).
 */
export function configFromForm(form: FormData, type: ChannelTypeName, mode: "create" | "edit"): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const f of PROVIDER_FIELDS[type]) {
    const key = `config.${f.name}`;
    if (f.kind === "checkbox") {
      config[f.name] = form.get(key) === "on";
      continue;
    }
    const value = String(form.get(key) ?? "").trim();
    if (value !== "") config[f.name] = value;
    else if (mode === "edit" && !f.secret) config[f.name] = null;
  }
  return config;
}

export function severitiesFromForm(form: FormData): SeverityName[] {
  return SEVERITY_NAMES.filter((s) => form.get(`severity.${s}`) === "on");
}
