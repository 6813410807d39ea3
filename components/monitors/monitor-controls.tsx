"use client";

import { useRouter } from "next/navigation";
import type { MonitorView } from "@/lib/queries/monitors";
import { useServerAction, type Action } from "../use-server-action";
import { Button, ErrorMessage } from "../ui/form";

export function MonitorControls({
  monitor,
  pause,
  resume,
  remove,
}: {
  monitor: Pick<MonitorView, "id" | "name" | "status" | "isAppHealth">;
  pause: Action;
  resume: Action;
  remove: Action;
}) {
  const router = useRouter();
  const p = useServerAction(pause);
  const r = useServerAction(resume);
  const d = useServerAction(remove);
  const paused = monitor.status === "paused";
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {paused ? (
          <Button variant="secondary" disabled={r.pending} onClick={() => r.run({ id: monitor.id }, () => router.refresh())}>
            Resume
          </Button>
        ) : (
          <Button variant="secondary" disabled={p.pending} onClick={() => p.run({ id: monitor.id }, () => router.refresh())}>
            Pause
          </Button>
        )}
        {monitor.isAppHealth ? null : (
          <Button
            variant="danger"
            disabled={d.pending}
            onClick={() => {
              if (window.confirm(`Delete monitor “${monitor.name}” and all its history?`)) d.run({ id: monitor.id }, () => router.push("/monitors"));
            }}
          >
            Delete
          </Button>
        )}
      </div>
      <ErrorMessage>{p.error ?? r.error ?? d.error}</ErrorMessage>
    </div>
  );
}
