/**
 * What an alert is about, as queued with its delivery rows (NotificationDelivery.payload) and sent as is in the
 * generic webhook's body. Fields added later are optional: deliveries queued by an older release lack them.
 */

export type MonitorEvent = "monitor.down" | "monitor.degraded" | "monitor.up" | "monitor.certificate";
export type DeployEvent = "deploy.succeeded" | "deploy.failed" | "deploy.rolled_back" | "deploy.interrupted" | "deploy.regressed" | "deploy.awaiting_approval";
export type AlertEvent = MonitorEvent | DeployEvent | "test";

export const DEPLOY_EVENTS: readonly DeployEvent[] = ["deploy.succeeded", "deploy.failed", "deploy.rolled_back", "deploy.interrupted", "deploy.regressed", "deploy.awaiting_approval"];

/** What a channel can choose to take (NotificationChannel.severities); a test goes to a channel whatever it takes. */
export const SEVERITIES = ["down", "degraded", "recovered", "deploy_failed", "deploy_succeeded"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityOf(event: AlertEvent): Severity | null {
  switch (event) {
    case "monitor.down":
      return "down";
    case "monitor.degraded":
    case "monitor.certificate":
      return "degraded";
    case "monitor.up":
      return "recovered";
    case "deploy.succeeded":
    // A request waiting for approval goes where deploy news goes (channels taking "deploy succeeded").
    case "deploy.awaiting_approval":
      return "deploy_succeeded";
    case "deploy.failed":
    case "deploy.rolled_back":
    case "deploy.interrupted":
    case "deploy.regressed":
      return "deploy_failed";
    case "test":
      return null;
  }
}

/** The deploy of a monitor's app that finished shortly before the monitor changed: the usual suspect. */
export interface PrecedingDeploy {
  id: string;
  kind: "deploy" | "rollback";
  status: string;
  appId: string;
  finishedAt: string;
  /** The release directory it switched to, and its commit. */
  release: string | null;
  commit: string | null;
  by: string;
  /** The newest successful release before it: where a rollback would go. */
  rollbackTo: { id: string; release: string; commit: string } | null;
}

export interface MonitorAlertPayload {
  event: MonitorEvent | "test";
  monitor: { id: string; name: string; type: string; target: string; app: string | null; appId?: string | null };
  at: string;
  detail: string;
  incident: { id: string; startedAt: string; endedAt: string | null; durationSeconds: number | null } | null;
  precedingDeploy?: PrecedingDeploy | null;
  /** monitor.certificate: the certificate and the warning threshold (days) it crossed. */
  certificate?: { notAfter: string; daysLeft: number; thresholdDays: number; subject: string; issuer: string };
}

export interface DeployAlertPayload {
  event: DeployEvent;
  /** A deploy alert is about no monitor (declared so `AlertPayload["monitor"]` names the monitor's shape). */
  monitor?: undefined;
  deploy: {
    id: string;
    kind: "deploy" | "rollback";
    status: string;
    app: { id: string; name: string };
    release: string | null;
    commit: string | null;
    by: string;
    error: string | null;
    startedAt: string | null;
    finishedAt: string;
    autoRolledBack: boolean;
    /** Release verdict (issue 15): set when a soak ran; "regressed" with deploy.regressed (alert mode) or deploy.rolled_back. */
    verdict?: { outcome: string; summary: string | null } | null;
  };
  at: string;
  detail: string;
  /** Where a rollback would go (for a deploy that failed or was interrupted). */
  rollbackTo?: { id: string; release: string; commit: string } | null;
  /** deploy.awaiting_approval: the ref asked for and the environment it goes to. */
  ref?: string | null;
  environment?: string | null;
}

export type AlertPayload = MonitorAlertPayload | DeployAlertPayload;

export function isDeployAlert(p: AlertPayload): p is DeployAlertPayload {
  return (DEPLOY_EVENTS as readonly string[]).includes(p.event);
}
