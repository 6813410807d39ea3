"use client";

import { useState } from "react";
import type { DeployMarker } from "@/lib/queries/monitors";
import { formatTime } from "../ui/time";

/** How many deploys the list under the chart shows before "Show all". */
export const LEGEND_ROWS = 8;

function markerDot(m: DeployMarker): string {
  return m.status !== "succeeded" ? "bg-rose-600" : m.kind === "rollback" ? "bg-amber-600" : "bg-indigo-600";
}

/** The deploys and rollbacks the chart marks, newest first, capped at LEGEND_ROWS with a "Show all" toggle. */
export function MarkerLegend({ markers }: { markers: DeployMarker[] }) {
  const [all, setAll] = useState(false);
  const newest = [...markers].sort((a, b) => b.t - a.t);
  const shown = all ? newest : newest.slice(0, LEGEND_ROWS);
  return (
    <div className="mt-3">
      <ul className="space-y-1 text-xs text-slate-600" data-testid="deploy-markers" id="deploy-marker-list">
        {shown.map((m) => (
          <li key={m.id} data-testid="deploy-marker-item" data-kind={m.kind} className="break-words">
            <span className={`mr-1 inline-block h-2 w-2 rounded-full ${markerDot(m)}`} aria-hidden />
            {formatTime(m.t)} · {m.kind} {m.status}
            {m.release ? (
              <>
                {" "}
                · <span className="font-mono">{m.release}</span>
              </>
            ) : null}
            {m.commit ? (
              <>
                {" "}
                · <span className="font-mono">{m.commit.slice(0, 7)}</span>
              </>
            ) : null}{" "}
            · by {m.actor}
          </li>
        ))}
      </ul>
      {newest.length > LEGEND_ROWS ? (
        <button
          type="button"
          className="mt-2 rounded-md px-2 py-1 text-xs font-medium text-indigo-600 ring-1 ring-slate-200 hover:bg-slate-50"
          aria-expanded={all}
          aria-controls="deploy-marker-list"
          onClick={() => setAll((v) => !v)}
          data-testid="deploy-markers-toggle"
        >
          {all ? "Show the latest 8" : `Show all ${newest.length}`}
        </button>
      ) : null}
    </div>
  );
}
