/**
 * The Prometheus text exposition format (version 0.0.4), written by hand: metric families with HELP and TYPE
 * lines, then their samples. Every label value and HELP text goes through the escaping below, so a monitor
 * named `a"b\c` or with a newline cannot break a line or forge a sample.
 */
export type MetricType = "gauge" | "counter" | "histogram";
export type Labels = Record<string, string>;

export interface Sample {
  /** Added to the family's name: `_bucket`, `_sum`, `_count` for a histogram. */
  suffix?: string;
  labels?: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value inside its double quotes: backslash, double quote and line feed escaped, as the format says. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text: backslash and line feed escaped (a double quote is fine there). */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A sample value: Prometheus spells the special values NaN, +Inf and -Inf. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return "";
  for (const [k] of entries) if (!LABEL_NAME.test(k) || k.startsWith("__")) throw new Error(`invalid label name ${JSON.stringify(k)}`);
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

export function formatFamily(f: MetricFamily): string {
  if (!METRIC_NAME.test(f.name)) throw new Error(`invalid metric name ${JSON.stringify(f.name)}`);
  const lines = [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`];
  for (const s of f.samples) lines.push(`${f.name}${s.suffix ?? ""}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  return lines.join("\n") + "\n";
}

/** The whole answer of GET /metrics. */
export function formatMetrics(families: MetricFamily[]): string {
  return families.map(formatFamily).join("");
}

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * A histogram's samples from observations already counted per upper bound (cumulative counts per `le`, then
 * +Inf, _sum and _count), one set per label combination.
 */
export function histogramSamples(labels: Labels, bounds: number[], cumulative: number[], count: number, sum: number): Sample[] {
  return [
    ...bounds.map((le, i) => ({ suffix: "_bucket", labels: { ...labels, le: formatValue(le) }, value: cumulative[i] ?? 0 })),
    { suffix: "_bucket", labels: { ...labels, le: "+Inf" }, value: count },
    { suffix: "_sum", labels, value: sum },
    { suffix: "_count", labels, value: count },
  ];
}
