"use client";

import { useRouter } from "next/navigation";
import type { MaintenanceView } from "@/lib/queries/incidents";
import { useServerAction, type Action } from "../use-server-action";
import { Badge } from "../ui/badge";
import { ConfirmButton } from "../ui/confirm-button";
import { EmptyLine } from "../ui/empty";
import { LocalTime } from "../ui/local-time";
import { notify } from "../ui/toaster";

function covers(w: MaintenanceView, names: Record<string, string>): string {
  if (w.all) return "every monitor";
  const parts = [...w.monitorIds.map((id) => names[id] ?? id), ...w.appIds.map((id) => `app ${names[id] ?? id}`)];
  return parts.join(", ") || "nothing (its monitors were removed)";
}

function Row({ w, names, remove }: { w: MaintenanceView; names: Record<string, string>; remove: Action }) {
  const router = useRouter();
  const d = useServerAction(remove);
  const state = w.active ? <Badge value="maintenance" label="open now" /> : w.next ? <Badge value="pending" label="upcoming" /> : <Badge value="removed" label="over" />;
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between" data-testid="maintenance-row" data-active={w.active ? "true" : "false"}>
      <div className="min-w-0 space-y-1 text-sm">
        <p className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{w.name}</span> {state}
        </p>
        <p className="text-slate-600">
          {w.kind === "recurring" ? (
            <>
              <span className="break-all font-mono">{w.cron ?? w.rrule}</span> in {w.timeZone}, {w.durationMinutes} min each time
            </>
          ) : (
            "once"
          )}
          {w.next ? (
            <>
              {" "}
              · {w.active ? "open" : "next"} <LocalTime ms={Date.parse(w.next.startsAt)} /> to <LocalTime ms={Date.parse(w.next.endsAt)} />
            </>
          ) : null}
        </p>
        <p className="break-words text-slate-600">Covers {covers(w, names)}</p>
      </div>
      <ConfirmButton
        title={`Delete maintenance window “${w.name}”?`}
        description={w.active ? "It is open now: its monitors alert again from their next check." : "Its monitors will alert during its times again."}
        confirmLabel="Delete window"
        pending={d.pending}
        error={d.error}
        onOpen={() => d.setError(null)}
        onConfirm={(close) => d.run({ id: w.id }, () => (close(), notify(`${w.name} deleted`), router.refresh()))}
      >
        Delete
      </ConfirmButton>
    </li>
  );
}

/** Open windows first, then upcoming, then one-off windows that are over. */
export function MaintenanceList({ windows, names, remove }: { windows: MaintenanceView[]; names: Record<string, string>; remove: Action }) {
  if (windows.length === 0) return <EmptyLine data-testid="maintenance-empty">No maintenance windows.</EmptyLine>;
  return (
    <ul className="divide-y divide-slate-200" data-testid="maintenance-list">
      {windows.map((w) => (
        <Row key={w.id} w={w} names={names} remove={remove} />
      ))}
    </ul>
  );
}
