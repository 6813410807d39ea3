"use client";

import { signOut } from "next-auth/react";
import type { OwnSessionRow } from "@/lib/queries/account";
import { ConfirmButton } from "../ui/confirm-button";
import { Section } from "../ui/section";
import { Table } from "../ui/table";
import { Button, ErrorMessage } from "../ui/form";
import { formatMinute } from "../ui/time";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";

function EndButton({ session, end }: { session: OwnSessionRow; end: Action }) {
  const { error, pending, run } = useServerAction(end);
  return (
    <>
      <Button variant="secondary" disabled={pending} onClick={() => run({ id: session.id }, () => notify(`Session of ${session.device} ended`))} aria-label={`End the session of ${session.device} from ${session.ip ?? "an unknown address"}`}>
        End
      </Button>
      <ErrorMessage>{error}</ErrorMessage>
    </>
  );
}

/** Where the user is signed in; any one can be ended, or all at once (this one too). */
export function SessionsSection({ sessions, limits, end, endAll }: { sessions: OwnSessionRow[]; limits: string; end: Action; endAll: Action }) {
  const all = useServerAction(endAll);
  return (
    <Section
      title="Where you are signed in"
      size="lg"
      className="mb-8"
      description={`Every browser signed in to your account. A session ends when it signs out or you end it here, ${limits}.`}
      actions={
        <ConfirmButton
          disabled={all.pending}
          title="Sign out everywhere?"
          description="Every session of your account ends, this browser's too: you sign in again here and on every other device."
          confirmLabel="Sign out everywhere"
          pending={all.pending}
          error={all.error}
          onOpen={() => all.setError(null)}
          onConfirm={() => all.run({}, () => void signOut({ callbackUrl: "/login" }))}
        >
          Sign out everywhere
        </ConfirmButton>
      }
    >
      <Table
        rows={sessions}
        rowKey={(s) => s.id}
        empty="No sessions."
        data-testid="own-sessions"
        columns={[
          {
            header: "Device and address",
            cell: (s) => (
              <>
                <span title={s.userAgent ?? undefined}>{s.device}</span>
                <span className="block font-mono text-xs text-slate-500">{s.ip ?? "unknown address"}</span>
              </>
            ),
          },
          { header: "Signed in", cell: (s) => formatMinute(s.createdAt) },
          { header: "Last seen", cell: (s) => formatMinute(s.lastSeenAt) },
          { header: "", align: "right", cell: (s) => (s.current ? <span className="text-xs font-medium text-emerald-700">This browser</span> : <EndButton session={s} end={end} />) },
        ]}
      />
    </Section>
  );
}
