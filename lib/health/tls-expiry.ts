import type { Tx } from "../db/client";
import { enqueueAlert, type AlertPayload } from "../alerts/deliveries";
import type { CertificateFacts } from "./tls";
import { describeExpiry, isRenewal, thresholdsToAlert } from "./tls";

/**
 * Certificate expiry warnings. Each check that read a certificate (HTTPS and certificate monitors) stores it
 * on its monitor; each warning threshold (Monitor.certWarnDays, 30/14/7 by default) the certificate is within
 * is alerted once, through the monitor's alert routing with severity degraded. The smallest threshold
 * alerted is remembered (certAlertedDays), so the next checks say nothing until the next threshold; a
 * certificate that expires later than the stored one is a renewal, which starts over.
 */

interface Reading {
  monitorId: string;
  at: Date;
  certificate: CertificateFacts;
}

interface StoredCertificate {
  id: string;
  certNotAfter: Date | null;
  certSubject: string | null;
  certIssuer: string | null;
  certFingerprint: string | null;
  certAlertedDays: number | null;
  certWarnDays: number[];
}

type DescribeMonitor = (tx: Tx, monitorId: string) => Promise<AlertPayload["monitor"] | null>;

/** The newest reading per monitor of a batch of results. */
function latestReadings(records: { monitorId: string; at: Date; facts?: { certificate?: CertificateFacts } | null }[]): Reading[] {
  const latest = new Map<string, Reading>();
  for (const r of records) {
    const certificate = r.facts?.certificate;
    if (!certificate) continue;
    const seen = latest.get(r.monitorId);
    if (!seen || seen.at.getTime() < r.at.getTime()) latest.set(r.monitorId, { monitorId: r.monitorId, at: r.at, certificate });
  }
  return [...latest.values()];
}

/** What changes for one monitor: the columns to store, and the thresholds to alert (largest first). */
export function planCertificate(stored: StoredCertificate, reading: Reading): { data: Partial<StoredCertificate> | null; alert: number[] } {
  const notAfter = new Date(reading.certificate.notAfter);
  const renewed = isRenewal(stored.certNotAfter, notAfter);
  const alerted = renewed ? null : stored.certAlertedDays;
  const alert = thresholdsToAlert(reading.certificate.daysLeft, stored.certWarnDays, alerted);
  const next = {
    certNotAfter: notAfter,
    certSubject: reading.certificate.subject,
    certIssuer: reading.certificate.issuer,
    certFingerprint: reading.certificate.fingerprint,
    certAlertedDays: alert.length ? alert[alert.length - 1]! : alerted,
  };
  const same =
    stored.certNotAfter?.getTime() === notAfter.getTime() &&
    stored.certSubject === next.certSubject &&
    stored.certIssuer === next.certIssuer &&
    stored.certFingerprint === next.certFingerprint &&
    stored.certAlertedDays === next.certAlertedDays;
  return { data: same ? null : next, alert };
}

/** Called by recordCheckResults in its transaction, after the statuses moved. */
export async function applyCertificates(tx: Tx, records: Parameters<typeof latestReadings>[0], describeMonitor: DescribeMonitor): Promise<number> {
  const readings = latestReadings(records);
  if (readings.length === 0) return 0;
  const stored = await tx.monitor.findMany({
    where: { id: { in: readings.map((r) => r.monitorId) } },
    select: { id: true, certNotAfter: true, certSubject: true, certIssuer: true, certFingerprint: true, certAlertedDays: true, certWarnDays: true },
  });
  const byId = new Map(stored.map((m) => [m.id, m]));
  let alerts = 0;
  for (const reading of readings) {
    const m = byId.get(reading.monitorId);
    if (!m) continue;
    const { data, alert } = planCertificate(m, reading);
    if (data) await tx.monitor.update({ where: { id: m.id }, data, select: { id: true } });
    if (alert.length === 0) continue;
    const monitor = await describeMonitor(tx, m.id);
    if (!monitor) continue;
    const c = reading.certificate;
    for (const thresholdDays of alert) {
      alerts++;
      await enqueueAlert(tx, {
        event: "monitor.certificate",
        monitor,
        at: reading.at.toISOString(),
        detail: `TLS certificate ${c.subject || "(no subject)"} ${describeExpiry(c)}: within the ${thresholdDays}-day warning`,
        incident: null,
        certificate: { notAfter: c.notAfter, daysLeft: c.daysLeft, thresholdDays, subject: c.subject, issuer: c.issuer },
      });
    }
  }
  return alerts;
}
