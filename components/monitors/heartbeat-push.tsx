"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "../ui/confirm-button";
import { Button, ErrorMessage } from "../ui/form";
import { LocalTime } from "../ui/local-time";
import { Section } from "../ui/section";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";

/** A value to paste elsewhere: selectable, with a Copy button that says when the browser refuses. */
function CopyValue({ label, value, testId }: { label: string; value: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-1">
      <span className="text-xs font-medium text-slate-600">{label}</span>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-slate-50 px-2 py-1 font-mono text-xs ring-1 ring-slate-200" data-testid={testId}>
          {value}
        </code>
        <Button
          type="button"
          variant="secondary"
          aria-label={`Copy ${label.toLowerCase()}`}
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied(true);
              setError(null);
            } catch {
              setError("The browser refused clipboard access: select the text and copy it by hand.");
            }
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <ErrorMessage>{error}</ErrorMessage>
    </div>
  );
}

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
