import { isDeployAlert, type AlertEvent, type AlertPayload, type DeployAlertPayload, type MonitorAlertPayload, type PrecedingDeploy } from "./payload";

/**
 * An alert as every provider words it: one headline, a title, facts (what changed, since when, which deploy
 * came before it) and links into Deckhand. Providers only lay this out in their own format and limits.
 */

export type Tone = "bad" | "warn" | "good" | "info";
/** PagerDuty's severities; the other providers map their colours and priorities from `tone`. */
export type PagerSeverity = "critical" | "error" | "warning" | "info";

export interface AlertFact {
  label: string;
  value: string;
}
export interface AlertLink {
  label: string;
  url: string;
}

export interface AlertMessage {
  event: AlertEvent;
  tone: Tone;
  severity: PagerSeverity;
  /** One line saying what happened (the text of chat messages, unchanged from the first release). */
  headline: string;
  /** Short: an e-mail subject, a card title. */
  title: string;
  facts: AlertFact[];
  /** The first is the object itself (the monitor, the deploy); empty when DECKHAND_PUBLIC_URL is unset. */
  links: AlertLink[];
  at: string;
  /** The same for an incident's trigger and its resolve (PagerDuty's dedup_key). */
  dedupKey: string;
  payload: AlertPayload;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** "2026-03-01 11:59:00 UTC": the same for every reader, whatever their time zone. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function shortSha(commit: string | null): string {
  return commit ? commit.slice(0, 12) : "unknown commit";
}

function deployWho(d: DeployAlertPayload["deploy"]): string {
  return d.kind === "rollback" ? `Rollback of ${d.app.name}` : `Deploy of ${d.app.name}`;
}

function deployHeadline(p: DeployAlertPayload): string {
  const d = p.deploy;
  const what = d.release ? `release ${d.release} (${shortSha(d.commit)})` : shortSha(d.commit);
  const why = d.error ? `: ${d.error}` : "";
  switch (p.event) {
    case "deploy.succeeded":
      return `🚀 ${deployWho(d)} succeeded: ${what}, by ${d.by}`;
    case "deploy.rolled_back":
      return `⏪ ${deployWho(d)} failed and was rolled back automatically${why} (${what}, by ${d.by})`;
    case "deploy.interrupted":
      return `⚠️ ${deployWho(d)} was interrupted${why} (${what}, by ${d.by})`;
    case "deploy.regressed":
      return `⚠️ ${deployWho(d)} regressed after going live: ${d.verdict?.summary ?? "see the deploy"} (${what}, by ${d.by})`;
    case "deploy.failed":
      return `❌ ${deployWho(d)} failed${why} (${what}, by ${d.by})`;
    case "deploy.awaiting_approval":
      return `✋ ${deployWho(d)} is waiting for approval: ${d.commit ? shortSha(d.commit) : (p.ref ?? "a ref")}, requested by ${d.by}`;
  }
}

/** The one-line text of an alert. */
export function alertText(p: AlertPayload): string {
  if (isDeployAlert(p)) return deployHeadline(p);
  const who = p.monitor.app ? `${p.monitor.name} (${p.monitor.app})` : p.monitor.name;
  if (p.event === "test") return `Deckhand test notification: this channel works.`;
  if (p.event === "monitor.down") return `🔴 ${who} is DOWN: ${p.detail} — ${p.monitor.target}`;
  if (p.event === "monitor.degraded") return `🟠 ${who} is DEGRADED: ${p.detail} — ${p.monitor.target}`;
  if (p.event === "monitor.certificate") return `🟠 ${who}: ${p.detail} — ${p.monitor.target}`;
  const took = p.incident?.durationSeconds != null ? ` after ${duration(p.incident.durationSeconds)}` : "";
  return `✅ ${who} is back UP${took}: ${p.detail} — ${p.monitor.target}`;
}

function linkTo(base: string | null, path: string): string | null {
  if (!base) return null;
  return `${base.replace(/\/+$/, "")}${path}`;
}

function links(base: string | null, list: [label: string, path: string | null][]): AlertLink[] {
  return list.flatMap(([label, path]) => {
    const url = path ? linkTo(base, path) : null;
    return url ? [{ label, url }] : [];
  });
}

function precedingFacts(d: PrecedingDeploy, at: string): AlertFact {
  const minutes = Math.max(0, Math.round((new Date(at).getTime() - new Date(d.finishedAt).getTime()) / 60_000));
  const what = d.release ? `release ${d.release} (commit ${shortSha(d.commit)})` : `commit ${shortSha(d.commit)}`;
  const kind = d.kind === "rollback" ? "rollback" : "deploy";
  return { label: "Deploy before it", value: `${kind} of ${what} by ${d.by}, ${d.status} ${minutes} min before (${formatTime(d.finishedAt)})` };
}

function monitorMessage(p: MonitorAlertPayload, base: string | null): Omit<AlertMessage, "headline" | "payload" | "at"> {
  const who = p.monitor.app ? `${p.monitor.name} (${p.monitor.app})` : p.monitor.name;
  const facts: AlertFact[] = [];
  if (p.event === "test") {
    return {
      event: "test",
      tone: "info",
      severity: "info",
      title: "Deckhand test notification",
      facts: [{ label: "What", value: "A test sent from Deckhand: this channel works." }],
      links: links(base, [["Open alert channels", "/settings/alerts"]]),
      dedupKey: "deckhand-test",
    };
  }
  if (p.event === "monitor.certificate") return certificateMessage(p, base, who);
  const state = p.event === "monitor.down" ? "down" : p.event === "monitor.degraded" ? "degraded" : "up";
  facts.push({ label: "What changed", value: `${p.monitor.name} is ${state}: ${p.detail || "no detail"}` });
  if (p.incident && p.event === "monitor.up") {
    const took = p.incident.durationSeconds != null ? ` (${duration(p.incident.durationSeconds)})` : "";
    facts.push({ label: "Down", value: `from ${formatTime(p.incident.startedAt)} to ${formatTime(p.incident.endedAt ?? p.at)}${took}` });
  } else {
    facts.push({ label: "Since", value: formatTime(p.incident?.startedAt ?? p.at) });
  }
  facts.push({ label: "Target", value: p.monitor.target });
  if (p.monitor.app) facts.push({ label: "App", value: p.monitor.app });
  const d = p.precedingDeploy;
  if (d) facts.push(precedingFacts(d, p.at));
  const tone: Tone = state === "down" ? "bad" : state === "degraded" ? "warn" : "good";
  return {
    event: p.event,
    tone,
    severity: state === "down" ? "critical" : state === "degraded" ? "warning" : "info",
    title: `${who} is ${state === "up" ? "back up" : state}`,
    facts,
    links: links(base, [
      ["Open monitor", `/monitors/${p.monitor.id}`],
      ["Deploy before it", d ? `/apps/${d.appId}/deploys/${d.id}` : null],
      [d?.rollbackTo ? `Roll back to ${d.rollbackTo.release}` : "Roll back", d && state !== "up" ? `/apps/${d.appId}#releases` : null],
    ]),
    dedupKey: p.incident ? `deckhand-incident-${p.incident.id}` : `deckhand-monitor-${p.monitor.id}${state === "degraded" ? "-degraded" : ""}`,
  };
}

/** A certificate crossing a warning threshold: a warning, deduplicated per monitor and threshold. */
function certificateMessage(p: MonitorAlertPayload, base: string | null, who: string): Omit<AlertMessage, "headline" | "payload" | "at"> {
  const c = p.certificate;
  const left = c ? (c.daysLeft > 0 ? `expires in ${c.daysLeft} day${c.daysLeft === 1 ? "" : "s"}` : "has expired") : "expires soon";
  const facts: AlertFact[] = [{ label: "What changed", value: p.detail }];
  if (c) facts.push({ label: "Expires", value: formatTime(c.notAfter) }, { label: "Warning at", value: `${c.thresholdDays} days before` }, { label: "Issuer", value: c.issuer || "unknown" });
  facts.push({ label: "Target", value: p.monitor.target });
  if (p.monitor.app) facts.push({ label: "App", value: p.monitor.app });
  return {
    event: p.event,
    tone: "warn",
    severity: "warning",
    title: `${who}: TLS certificate ${left}`,
    facts,
    links: links(base, [["Open monitor", `/monitors/${p.monitor.id}`]]),
    dedupKey: `deckhand-monitor-${p.monitor.id}-certificate-${c?.thresholdDays ?? "soon"}`,
  };
}

function deployMessage(p: DeployAlertPayload, base: string | null): Omit<AlertMessage, "headline" | "payload" | "at"> {
  const d = p.deploy;
  const ok = p.event === "deploy.succeeded";
  if (p.event === "deploy.awaiting_approval") return approvalMessage(p, base);
  const outcome = { "deploy.succeeded": "succeeded", "deploy.failed": "failed", "deploy.rolled_back": "failed and was rolled back", "deploy.interrupted": "was interrupted", "deploy.regressed": "regressed after going live" }[p.event];
  const facts: AlertFact[] = [
    { label: "What changed", value: `${deployWho(d)} ${outcome}` },
    { label: "Release", value: d.release ? `${d.release} (commit ${shortSha(d.commit)})` : `commit ${shortSha(d.commit)}` },
    { label: "By", value: d.by },
    { label: "Since", value: d.startedAt ? `started ${formatTime(d.startedAt)}, ended ${formatTime(d.finishedAt)}` : `ended ${formatTime(d.finishedAt)}` },
  ];
  if (d.error) facts.push({ label: "Error", value: d.error });
  if (d.verdict?.summary) facts.push({ label: "Release verdict", value: d.verdict.summary });
  return {
    event: p.event,
    tone: ok ? "good" : p.event === "deploy.failed" ? "bad" : "warn",
    severity: ok ? "info" : p.event === "deploy.failed" ? "error" : "warning",
    title: `${deployWho(d)} ${outcome}`,
    facts,
    links: links(base, [
      [d.kind === "rollback" ? "Open rollback" : "Open deploy", `/apps/${d.app.id}/deploys/${d.id}`],
      [`Roll back to ${p.rollbackTo?.release ?? "the previous release"}`, p.rollbackTo ? `/apps/${d.app.id}#releases` : null],
    ]),
    dedupKey: `deckhand-deploy-${d.app.id}`,
  };
}

/** A deploy request waiting for a different deployer: the link opens its page, where it is approved or rejected. */
function approvalMessage(p: DeployAlertPayload, base: string | null): Omit<AlertMessage, "headline" | "payload" | "at"> {
  const d = p.deploy;
  const facts: AlertFact[] = [
    { label: "What", value: `${deployWho(d)} to ${p.environment ?? "production"} is waiting for approval by another deployer` },
    { label: "Ref", value: d.commit ? `${p.ref ?? "commit"} (${shortSha(d.commit)})` : (p.ref ?? "unknown") },
    { label: "Requested by", value: d.by },
    { label: "Since", value: formatTime(p.at) },
  ];
  return {
    event: p.event,
    tone: "info",
    severity: "info",
    title: `${deployWho(d)} is waiting for approval`,
    facts,
    links: links(base, [["Approve or reject", `/apps/${d.app.id}/deploys/${d.id}`]]),
    dedupKey: `deckhand-approval-${d.id}`,
  };
}

export function renderAlert(payload: AlertPayload, publicUrl: string | null): AlertMessage {
  const parts = isDeployAlert(payload) ? deployMessage(payload, publicUrl) : monitorMessage(payload, publicUrl);
  return { ...parts, headline: alertText(payload), at: payload.at, payload };
}

/** Cuts a string to at most `max` UTF-16 units (what JavaScript and most APIs count), marking the cut; never splits a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Cuts a string to at most `max` bytes of UTF-8, marking the cut. */
export function clipBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let bytes = Buffer.byteLength("…");
  const kept: string[] = [];
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max) break;
    bytes += n;
    kept.push(ch);
  }
  return `${kept.join("")}…`;
}
