"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/server-action";
import type { AuditHead, LastAuditVerification } from "@/lib/queries/audit";
import { Card } from "../ui/card";
import { Button, ErrorMessage } from "../ui/form";
import { LocalTime } from "../ui/local-time";

type VerifyResult = { ok: true; count: number; head: string } | { ok: false; count: number; brokenAt: string; reason: string };

/** The chain's head hash (to copy and keep elsewhere), when it was last verified, and "Verify now" for admins. */
export function ChainStatus({ head, lastVerify, verify }: { head: AuditHead; lastVerify: LastAuditVerification | null; verify?: (input: unknown) => Promise<ActionResult<VerifyResult>> }) {
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const copy = async () => {
    if (!head.headHash) return;
    try {
      await navigator.clipboard.writeText(head.headHash);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setError("The browser refused clipboard access: select the hash and copy it by hand.");
    }
  };

  return (
    <Card as="section" padding="sm" aria-label="Audit chain" className="mb-6" data-testid="audit-chain">
      <div className="flex flex-wrap items-end gap-4">
        <div className="min-w-0 flex-1 basis-72">
          <p className="text-sm font-medium text-slate-700">
            Head hash <span className="font-normal text-slate-500">{head.headId ? `(event #${head.headId}; ${head.countIsEstimate ? "about " : ""}${head.count.toLocaleString("en")} events)` : "(no events yet)"}</span>
          </p>
          <div className="mt-1 flex gap-2">
            <input
              readOnly
              aria-label="Head hash"
              data-testid="audit-head-hash"
              value={head.headHash ?? ""}
              onFocus={(e) => e.currentTarget.select()}
              className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs"
            />
            <Button type="button" variant="secondary" onClick={copy} disabled={!head.headHash}>
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
          <p className="mt-1 text-xs text-slate-500">
            Keep it somewhere else: <code className="font-mono">npx deckhand audit verify --head &lt;hash&gt;</code> later proves nothing was removed up to it.
          </p>
        </div>
        <div className="text-sm" data-testid="audit-last-verified">
          {lastVerify ? (
            lastVerify.ok ? (
              <p className="text-emerald-700">
                Verified intact <LocalTime ms={lastVerify.at} /> ({lastVerify.count.toLocaleString("en")} events, by {lastVerify.by})
              </p>
            ) : (
              <p className="font-semibold text-rose-700" role="status">
                BROKEN at event #{lastVerify.brokenAt}: {lastVerify.reason} (checked <LocalTime ms={lastVerify.at} />)
              </p>
            )
          ) : (
            <p className="text-slate-500">Never verified</p>
          )}
        </div>
        {verify ? (
          <Button
            type="button"
            disabled={pending}
            onClick={() =>
              start(async () => {
                setError(null);
                const result = await verify({});
                if (!result.ok) setError(result.error.message);
              })
            }
          >
            {pending ? "Verifying…" : "Verify now"}
          </Button>
        ) : null}
      </div>
      <div className="mt-2">
        <ErrorMessage>{error}</ErrorMessage>
      </div>
    </Card>
  );
}
