"use client";

import { useRouter } from "next/navigation";
import { ConfirmButton } from "../ui/confirm-button";
import { LocalTime } from "../ui/local-time";
import { Section } from "../ui/section";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";
import { CopyValue } from "../ui/copy-value";

/** A heartbeat monitor's push URL (admins), a curl line for the job, the last beat, and rotation. */
export function HeartbeatPush({ monitorId, pushUrl, lastBeatAt, rotate }: { monitorId: string; pushUrl: string | null; lastBeatAt: number | null; rotate: Action<{ pushUrl: string }> }) {
  const router = useRouter();
  const r = useServerAction(rotate);
  return (
    <Section
      title="Push URL"
      className="mb-6"
      description="The job calls this URL when it runs (GET or POST, no other sign-in). Add ?status=down&msg=… to report a failure, &ping=<ms> for its duration."
      actions={
        <span className="text-xs text-slate-500" data-testid="last-beat">
          last beat <LocalTime ms={lastBeatAt} />
        </span>
      }
    >
      {pushUrl ? (
        <div className="space-y-3">
          <CopyValue label="Push URL" value={pushUrl} testId="push-url" />
          <CopyValue label="curl example" value={`curl -fsS -m 10 --retry 3 "${pushUrl}"`} testId="push-curl" />
          <CopyValue label="Report a failure" value={`curl -fsS -m 10 "${pushUrl}?status=down&msg=backup%20failed"`} testId="push-curl-down" />
          <ConfirmButton
            variant="secondary"
            disabled={r.pending}
            title="Make a new push URL?"
            description="The current URL stops working at once: every job calling it must get the new one."
            confirmLabel="Make a new URL"
            pending={r.pending}
            error={r.error}
            onOpen={() => r.setError(null)}
            onConfirm={(close) =>
              r.run({ id: monitorId }, () => {
                close();
                notify("New push URL made");
                router.refresh();
              })
            }
          >
            New push URL
          </ConfirmButton>
        </div>
      ) : (
        <p className="text-sm text-slate-500">An admin sees the push URL here.</p>
      )}
    </Section>
  );
}
