import Link from "next/link";
import type { ReactNode } from "react";
import type { ServerRow } from "@/lib/queries/servers";
import { Badge } from "../ui/badge";
import { Table } from "../ui/table";
import type { Action } from "../use-server-action";
import { ServerActions, type VerifyOutcome } from "./server-actions";

/** Every server with its address, host-key state and apps; admins verify and pin from here. */
export function ServerTable({ servers, verify, pin, canManage, empty }: { servers: ServerRow[]; verify: Action<VerifyOutcome>; pin: Action; canManage: boolean; empty: ReactNode }) {
  return (
    <Table
      variant="framed"
      rows={servers}
      rowKey={(s) => s.id}
      rowProps={(s) => ({ "data-testid": `server-${s.name}` })}
      empty={empty}
      columns={[
        {
          header: "Name",
          className: "font-medium",
          cell: (s) => (
            <Link className="text-indigo-700 hover:underline" href={`/servers/${s.id}`}>
              {s.name}
            </Link>
          ),
        },
        { header: "Address", className: "font-mono text-xs", cell: (s) => `${s.username}@${s.host}:${s.port}` },
        {
          header: "Host key",
          cell: (s) => (
            <>
              <Badge value={s.hostKeyStatus} />
              {s.hostKeyFingerprint ? <div className="mt-1 font-mono text-[11px] text-slate-500">{s.hostKeyFingerprint}</div> : null}
              {s.hostKeyStatus === "mismatch" ? <div className="mt-1 text-xs text-rose-700">presented {s.hostKeyPresented}</div> : null}
            </>
          ),
        },
        { header: "Apps", cell: (s) => s.targets.map((t) => t.app.name).join(", ") || "—" },
        { header: "", cell: (s) => <ServerActions serverId={s.id} verify={verify} pin={pin} canManage={canManage} /> },
      ]}
    />
  );
}
