"use client";

import { useRouter } from "next/navigation";
import type { MonitorView } from "@/lib/queries/monitors";
import { useServerAction, type Action } from "../use-server-action";
import { ConfirmButton } from "../ui/confirm-button";
import { Button, ErrorMessage } from "../ui/form";
import { notify } from "../ui/toaster";

export function MonitorControls({ monitor, pause, resume, remove }: { monitor: Pick<MonitorView, "id" | "name" | "status" | "isAppHealth">; pause: Action; resume: Action; remove: Action }) {
  const router = useRouter();
  const p = useServerAction(pause);
  const r = useServerAction(resume);
  const d = useServerAction(remove);
  const paused = monitor.status === "paused";
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {paused ? (
          <Button variant="secondary" disabled={r.pending} onClick={() => r.run({ id: monitor.id }, () => (notify(`${monitor.name} resumed`), router.refresh()))}>
            Resume
          </Button>
        ) : (
          <Button variant="secondary" disabled={p.pending} onClick={() => p.run({ id: monitor.id }, () => (notify(`${monitor.name} paused`), router.refresh()))}>
            Pause
          </Button>
        )}
        {monitor.isAppHealth ? null : (
          <ConfirmButton
            disabled={d.pending}
            title={`Delete monitor “${monitor.name}”?`}
            description="All its history goes with it."
            confirmLabel="Delete monitor"
            pending={d.pending}
            error={d.error}
            onOpen={() => d.setError(null)}
            onConfirm={() => d.run({ id: monitor.id }, () => router.push("/monitors"))}
          >
            Delete
          </ConfirmButton>
        )}
      </div>
      <ErrorMessage>{p.error ?? r.error}</ErrorMessage>
    </div>
  );
}
