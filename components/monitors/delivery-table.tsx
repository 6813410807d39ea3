import type { listRecentDeliveries } from "@/lib/queries/notification-channels";
import { Badge } from "../ui/badge";
import { Section } from "../ui/section";
import { Table } from "../ui/table";
import { LocalTime } from "../ui/local-time";

type DeliveryRow = Awaited<ReturnType<typeof listRecentDeliveries>>[number];

/** The latest alert messages and how their sending went: attempts, the last error, the next retry. */
export function DeliveriesSection({ deliveries }: { deliveries: DeliveryRow[] }) {
  return (
    <Section title="Deliveries" size="lg" className="mb-8" description="Failed sends are retried with backoff (10 s, 20 s, 40 s … up to 8 attempts).">
      <Table
        data-testid="deliveries"
        rows={deliveries}
        rowKey={(d) => d.id}
        rowProps={(d) => ({ "data-testid": "delivery-row", "data-status": d.status, "data-event": d.event })}
        empty="Nothing sent yet."
        columns={[
          { header: "Queued", className: "text-xs", cell: (d) => <LocalTime ms={d.createdAt} /> },
          { header: "Channel", cell: (d) => d.channel },
          {
            header: "Event",
            cell: (d) => (
              <>
                {d.event}
                {d.monitor ? <span className="text-slate-500"> · {d.monitor}</span> : null}
              </>
            ),
          },
          { header: "Status", cell: (d) => <Badge value={d.status === "delivered" ? "succeeded" : d.status} label={d.status} /> },
          { header: "Attempts", align: "right", className: "tabular-nums", cell: (d) => d.attempts },
          {
            header: "Last error / next attempt",
            className: "text-xs text-slate-600",
            cell: (d) => (
              <>
                {d.lastError ?? ""}
                {d.nextAttemptAt ? (
                  <span className="block text-slate-500">
                    next <LocalTime ms={d.nextAttemptAt} />
                  </span>
                ) : null}
              </>
            ),
          },
        ]}
      />
    </Section>
  );
}
