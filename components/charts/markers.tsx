"use client";

import type { DeployMarker } from "@/lib/queries/monitors";
import { formatWhen } from "./format";
import type { Cluster } from "./geometry";

const MARKER_COLORS = { deploy: "#4f46e5", rollback: "#d97706", failed: "#e11d48" } as const;
/** Most deploys a cluster's tooltip lists; the rest are counted. */
const TOOLTIP_ROWS = 8;

/** A failed deploy in a cluster colours it red; else a rollback amber; else indigo. */
export function markerColor(markers: DeployMarker[]): string {
  if (markers.some((m) => m.status !== "succeeded")) return MARKER_COLORS.failed;
  return markers.some((m) => m.kind === "rollback") ? MARKER_COLORS.rollback : MARKER_COLORS.deploy;
}

export function markerLabel(m: DeployMarker): string {
  const what = m.kind === "rollback" ? "Rollback" : "Deploy";
  const commit = m.commit ? ` · ${m.commit.slice(0, 7)}` : "";
  const release = m.release ? ` · ${m.release}` : "";
  return `${what} ${m.status}${release}${commit} · by ${m.actor} · ${formatWhen(m.t)}`;
}

function clusterLabel(markers: DeployMarker[]): string {
  return markers.length === 1 ? markerLabel(markers[0]!) : `${markers.length} deploys and rollbacks: ${markers.map(markerLabel).join("; ")}`;
}

/** One marker (or a cluster with its count) on the chart: a line, a flag, hover or focus opens its list. */
export function MarkerShape({ cluster, x, y1, y2, color, onOpen }: { cluster: Cluster<DeployMarker>; x: number; y1: number; y2: number; color: string; onOpen: (x: number | null) => void }) {
  const top = Math.min(y1, y2);
  const bottom = Math.max(y1, y2);
  const n = cluster.markers.length;
  const solid = cluster.markers.every((m) => m.status === "succeeded");
  const first = cluster.markers[0]!;
  return (
    <g
      data-testid="deploy-marker"
      data-kind={first.kind}
      data-release={first.release ?? ""}
      data-count={n}
      aria-label={clusterLabel(cluster.markers)}
      role="img"
      tabIndex={0}
      style={{ cursor: "pointer", outline: "none" }}
      onMouseEnter={() => onOpen(x)}
      onMouseLeave={() => onOpen(null)}
      onFocus={() => onOpen(x)}
      onBlur={() => onOpen(null)}
    >
      <title>{clusterLabel(cluster.markers)}</title>
      <line x1={x} x2={x} y1={top} y2={bottom} stroke={color} strokeWidth={1.5} strokeDasharray={solid ? undefined : "4 3"} />
      <line x1={x} x2={x} y1={top} y2={bottom} stroke="transparent" strokeWidth={12} />
      {n === 1 ? (
        <path d={`M${x - 6},${top - 12} L${x + 6},${top - 12} L${x},${top - 2} Z`} fill={color} />
      ) : (
        <>
          <circle cx={x} cy={top - 8} r={8} fill={color} />
          <text x={x} y={top - 4.5} textAnchor="middle" fontSize={10} fontWeight={600} fill="#fff" data-testid="deploy-marker-count">
            {n > 99 ? "99+" : n}
          </text>
        </>
      )}
    </g>
  );
}

/** The deploys of the marker under the pointer (or focused), newest last; kept inside the chart's box. */
export function ClusterTooltip({ markers, x, width }: { markers: DeployMarker[]; x: number; width: number }) {
  const shown = markers.slice(0, TOOLTIP_ROWS);
  const boxWidth = Math.min(288, Math.max(0, width - 8));
  const left = Math.max(4, Math.min(x - boxWidth / 2, width - boxWidth - 4));
  return (
    <div className="pointer-events-none absolute top-0 z-10 rounded-md bg-slate-900 px-3 py-2 text-xs text-white shadow-lg" style={{ left, width: boxWidth }} data-testid="deploy-marker-tooltip">
      {markers.length > 1 ? <p className="mb-1 font-semibold">{markers.length} deploys and rollbacks</p> : null}
      <ul className="space-y-1">
        {shown.map((m) => (
          <li key={m.id} data-testid="deploy-marker-tooltip-item">
            <p className="font-semibold">
              {m.kind === "rollback" ? "Rollback" : "Deploy"} · {m.status}
              <span className="font-normal text-slate-300"> · {formatWhen(m.t)}</span>
            </p>
            {m.release ? <p className="truncate font-mono">{m.release}</p> : null}
            <p className="truncate">
              {m.commit ? <span className="font-mono">{m.commit.slice(0, 12)} · </span> : null}by {m.actor}
            </p>
          </li>
        ))}
      </ul>
      {markers.length > shown.length ? <p className="mt-1 text-slate-300">and {markers.length - shown.length} more, listed under the chart</p> : null}
    </div>
  );
}
