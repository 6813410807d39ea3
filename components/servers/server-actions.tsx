"use client";

import { useState } from "react";
import { ConfirmButton } from "../ui/confirm-button";
import { Button, ErrorMessage } from "../ui/form";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";

export type VerifyOutcome =
  | { status: "unpinned"; presented: string; keyType: string }
  | { status: "ok"; presented: string; keyType: string; whoami: string }
  | { status: "mismatch"; presented: string; expected: string }
  | { status: "auth_failed" | "unreachable"; presented: string | null; message: string };

export function ServerActions({ serverId, verify, pin, canManage }: { serverId: string; verify: Action<VerifyOutcome>; pin: Action; canManage: boolean }) {
  const v = useServerAction(verify);
  const p = useServerAction(pin);
  const [outcome, setOutcome] = useState<VerifyOutcome | null>(null);
  const [pinned, setPinned] = useState(false);
  if (!canManage) return null;
  const offerPin = outcome && (outcome.status === "unpinned" || outcome.status === "mismatch") && !pinned;
  return (
    <div className="space-y-2">
      <Button
        variant="secondary"
        disabled={v.pending}
        onClick={() =>
          v.run({ serverId }, (o) => {
            setOutcome(o);
            setPinned(false);
          })
        }
      >
        {v.pending ? "Connecting…" : "Verify connection"}
      </Button>
      <ErrorMessage>{v.error}</ErrorMessage>
      {outcome ? (
        <div className="rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200" data-testid="verify-result">
          {outcome.status === "ok" && (
            <p className="text-emerald-700">
              Connected as {outcome.whoami}; host key matches the pin ({outcome.presented}).
            </p>
          )}
          {outcome.status === "unpinned" && (
            <p>
              The server presents a {outcome.keyType} key with fingerprint <code className="font-mono">{outcome.presented}</code>. Compare it with the server&apos;s own (
              <code className="font-mono">ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</code>) before accepting.
            </p>
          )}
          {outcome.status === "mismatch" && (
            <p className="text-rose-700">
              The host key CHANGED: pinned <code className="font-mono">{outcome.expected}</code>, presented <code className="font-mono">{outcome.presented}</code>. Deckhand refused to log in. Re-pin only if you know the server was rebuilt.
            </p>
          )}
          {(outcome.status === "auth_failed" || outcome.status === "unreachable") && <p className="text-rose-700">{outcome.message}</p>}
          {offerPin ? (
            <ConfirmButton
              variant="primary"
              className="mt-2"
              disabled={p.pending}
              title={outcome.status === "mismatch" ? "Re-pin the new host key?" : "Pin this host key?"}
              description={
                <>
                  Deckhand will trust only the key with fingerprint <code className="break-all font-mono">{outcome.presented}</code> on this server from now on
                  {outcome.status === "mismatch" ? ", in place of the one pinned before" : ""}. Pin it only if it matches the server&apos;s own.
                </>
              }
              confirmLabel={outcome.status === "mismatch" ? "Re-pin" : "Pin key"}
              pending={p.pending}
              error={p.error}
              onOpen={() => p.setError(null)}
              onConfirm={(close) =>
                p.run({ serverId, fingerprint: outcome.presented }, () => {
                  close();
                  setPinned(true);
                  notify("Host key pinned");
                })
              }
            >
              {outcome.status === "mismatch" ? "Re-pin the new key" : "Accept and pin this key"}
            </ConfirmButton>
          ) : null}
          {pinned ? <p className="mt-1 text-emerald-700">Pinned.</p> : null}
        </div>
      ) : null}
    </div>
  );
}
