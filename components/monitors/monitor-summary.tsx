import Link from "next/link";
import type { MonitorView } from "@/lib/queries/monitors";
import { Badge } from "../ui/badge";
import { formatSeconds } from "./format";

/** The monitor's status, what it checks, how often, and its app: the line under the page title. */
export function MonitorSummary({ monitor, inMaintenance = false }: { monitor: MonitorView; inMaintenance?: boolean }) {
  return (
    <span>
      {inMaintenance ? <Badge value="maintenance" /> : <Badge value={monitor.status} />}{" "}
      <span className="font-mono">
        {monitor.type.toUpperCase()} · {monitor.target}
      </span>{" "}
      {/* A heartbeat's target already says when beats are expected. */}
      {monitor.type === "heartbeat" ? null : <>· every {formatSeconds(monitor.intervalSeconds)}</>}
      {monitor.app ? (
        <>
          {" "}
          · app{" "}
          <Link className="text-indigo-700 underline" href={`/apps/${monitor.app.id}`}>
            {monitor.app.name}
          </Link>
        </>
      ) : null}
    </span>
  );
}
