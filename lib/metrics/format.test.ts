import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { collectMetrics } from "./collect";
import { escapeHelp, escapeLabelValue, formatFamily, formatMetrics, formatValue, histogramSamples } from "./format";

const PROMTOOL = "/usr/bin/promtool";

/** `promtool check metrics` reads the exposition on stdin; exit 0 and no lint output means it is clean. */
function promtool(text: string): { status: number | null; output: string } {
  const r = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("the Prometheus text format", () => {
  it("escapes label values: backslash, double quote, line feed", () => {
    expect(escapeLabelValue('a"b')).toBe('a\\"b');
    expect(escapeLabelValue("a\\b")).toBe("a\\\\b");
    expect(escapeLabelValue("a\nb")).toBe("a\\nb");
    expect(escapeLabelValue('\\"\n')).toBe('\\\\\\"\\n');
    expect(escapeLabelValue("plain ü {x}")).toBe("plain ü {x}");
    expect(escapeHelp('say "hi"\\\n')).toBe('say "hi"\\\\\\n');
  });

  it("writes HELP, TYPE and samples; special values; refuses bad names", () => {
    const text = formatFamily({ name: "x_up", help: "Up.", type: "gauge", samples: [{ labels: { name: 'evil"} 1\nx_up{name="forged' }, value: 1 }, { value: NaN }] });
    expect(text).toBe('# HELP x_up Up.\n# TYPE x_up gauge\nx_up{name="evil\\"} 1\\nx_up{name=\\"forged"} 1\nx_up NaN\n');
    expect(formatValue(Infinity)).toBe("+Inf");
    expect(formatValue(-Infinity)).toBe("-Inf");
    expect(formatValue(0.25)).toBe("0.25");
    expect(() => formatFamily({ name: "bad-name", help: "", type: "gauge", samples: [] })).toThrow(/invalid metric name/);
    expect(() => formatFamily({ name: "ok", help: "", type: "gauge", samples: [{ labels: { "bad-label": "v" }, value: 1 }] })).toThrow(/invalid label name/);
  });

  it.runIf(existsSync(PROMTOOL))("passes promtool check metrics, hostile label values included", () => {
    const text = formatMetrics([
      { name: "t_monitor_up", help: 'Up, "quoted" \\ and\nmultiline help.', type: "gauge", samples: [{ labels: { name: 'a"b\\c\nd', type: "http" }, value: 1 }] },
      { name: "t_deploys_total", help: "Deploys.", type: "counter", samples: [{ labels: { outcome: "failed" }, value: 3 }] },
      { name: "t_deploy_duration_seconds", help: "Durations.", type: "histogram", samples: histogramSamples({ outcome: "failed" }, [1, 10], [1, 2], 3, 42.5) },
    ]);
    expect(promtool(text)).toEqual({ status: 0, output: "" });
    // promtool is not a rubber stamp: a broken line fails it.
    expect(promtool(text + 't_monitor_up{name="unterminated} 1\n').status).not.toBe(0);
    expect(execFileSync(PROMTOOL, ["--version"], { encoding: "utf8" })).toMatch(/promtool/);
  });
});

describe("collectMetrics against real PostgreSQL", () => {
  it.runIf(existsSync(PROMTOOL))("reports monitors, heartbeats, deploys and queues, and promtool finds nothing wrong", async () => {
    const app = await db().app.create({ data: { name: 'shop "main"', repoUrl: "https://example.com/r.git", deployPath: "/srv/shop" } });
    const m = await db().monitor.create({ data: { name: 'api\\health "eu"\nsecond line', type: "http", url: "http://127.0.0.1:9/", status: "up", appId: app.id, lastCheckedAt: new Date() } });
    await db().checkResult.create({ data: { monitorId: m.id, ok: true, latencyMs: 120 } });
    await db().checkRollup.create({ data: { monitorId: m.id, bucket: "hour", bucketStart: new Date("2026-12-03T10:00:00Z"), checks: 60, failures: 0, p50: 100, p95: 250, p99: 300 } });
    const beat = await db().monitor.create({ data: { name: "nightly backup", type: "heartbeat", status: "down", lastBeatAt: new Date("2026-12-03T03:00:00Z") } });
    const notAfter = new Date(Math.floor((Date.now() + 9.5 * 86_400_000) / 1000) * 1000);
    const cert = await db().monitor.create({ data: { name: "shop tls", type: "certificate", host: "shop.example", port: 443, status: "up", certNotAfter: notAfter } });
    const started = new Date("2026-12-03T09:00:00Z");
    for (const [status, secs] of [
      ["succeeded", 45],
      ["succeeded", 400],
      ["failed", 5],
    ] as const) {
      await db().deploy.create({ data: { appId: app.id, kind: "deploy", status, actorLabel: "t", createdAt: started, startedAt: started, finishedAt: new Date(started.getTime() + secs * 1000) } });
    }
    const text = formatMetrics(await collectMetrics(db()));
    expect(promtool(text)).toEqual({ status: 0, output: "" });
    const labels = `monitor_id="${m.id}",name="api\\\\health \\"eu\\"\\nsecond line",type="http",app="shop \\"main\\""`;
    expect(text).toContain(`deckhand_monitor_up{${labels}} 1\n`);
    expect(text).toContain(`deckhand_monitor_latency_seconds{${labels}} 0.12\n`);
    expect(text).toContain(`deckhand_monitor_latency_p95_seconds{${labels}} 0.25\n`);
    expect(text).toContain(`deckhand_monitor_status{monitor_id="${beat.id}",name="nightly backup",type="heartbeat",app="",status="down"} 1\n`);
    expect(text).toContain(`deckhand_heartbeat_last_beat_timestamp_seconds{monitor_id="${beat.id}",name="nightly backup",type="heartbeat",app=""} ${Date.parse("2026-12-03T03:00:00Z") / 1000}\n`);
    const certLabels = `monitor_id="${cert.id}",name="shop tls",type="certificate",app=""`;
    // In base units, as promtool insists: days left is (expiry - time()) / 86400 in PromQL.
    expect(text).not.toContain("days_left");
    expect(text).toContain(`deckhand_monitor_certificate_expiry_timestamp_seconds{${certLabels}} ${notAfter.getTime() / 1000}\n`);
    expect(text).toContain('deckhand_deploys_total{kind="deploy",outcome="succeeded"} 2\n');
    expect(text).toContain('deckhand_deploy_duration_seconds_bucket{kind="deploy",outcome="succeeded",le="60"} 1\n');
    expect(text).toContain('deckhand_deploy_duration_seconds_bucket{kind="deploy",outcome="succeeded",le="600"} 2\n');
    expect(text).toContain('deckhand_deploy_duration_seconds_sum{kind="deploy",outcome="succeeded"} 445\n');
    expect(text).toContain('deckhand_deploy_duration_seconds_count{kind="deploy",outcome="failed"} 1\n');
    expect(text).toMatch(/^deckhand_queue_jobs\{queue="deckhand-deploy",state="created"\} \d+$/m);
  });
});
