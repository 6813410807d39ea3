"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Card } from "../ui/card";
import { ConfirmButton } from "../ui/confirm-button";
import { Field, TextArea } from "../ui/form";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";

/**
 * A deploy request waiting for approval (issue 15): Approve and Reject (each confirmed; Reject asks a reason)
 * for a deployer other than the requester, and a plain explanation for the requester and for viewers.
 */
export function ApprovalControls({
  deployId,
  requestedBy,
  isRequester,
  canDeploy,
  approve,
  reject,
}: {
  deployId: string;
  requestedBy: string;
  isRequester: boolean;
  canDeploy: boolean;
  approve: Action<{ status: string }>;
  reject: Action<{ status: string }>;
}) {
  const router = useRouter();
  const approving = useServerAction(approve);
  const rejecting = useServerAction(reject);
  const [reason, setReason] = useState("");
  const mayDecide = canDeploy && !isRequester;
  const why = isRequester ? "You requested this deploy: another deployer must approve or reject it." : !canDeploy ? "Approving needs the deployer role." : null;
  return (
    <Card padding="sm" className="space-y-2" data-testid="approval">
      <p className="text-sm font-semibold text-violet-800">Waiting for approval by another deployer</p>
      <p className="text-sm text-slate-600">Requested by {requestedBy}. It does not hold the deploy lock and will not start until approved.</p>
      <div className="flex flex-wrap items-center gap-2">
        <ConfirmButton
          variant="primary"
          disabled={!mayDecide || approving.pending}
          aria-describedby={why ? `${deployId}-why` : undefined}
          title="Approve this deploy?"
          description={`It is queued at once and runs, requested by ${requestedBy}.`}
          confirmLabel="Approve and deploy"
          pending={approving.pending}
          error={approving.error}
          onOpen={() => approving.setError(null)}
          onConfirm={(close) =>
            approving.run({ deployId }, () => {
              close();
              notify("Approved: the deploy is queued");
              router.refresh();
            })
          }
        >
          {approving.pending ? "Approving…" : "Approve"}
        </ConfirmButton>
        <ConfirmButton
          disabled={!mayDecide || rejecting.pending}
          aria-describedby={why ? `${deployId}-why` : undefined}
          title="Reject this deploy?"
          description={
            <Field label="Reason (optional)" error={rejecting.fieldErrors?.reason ?? null}>
              <TextArea name="reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
            </Field>
          }
          confirmLabel="Reject deploy"
          pending={rejecting.pending}
          error={rejecting.error}
          onOpen={() => rejecting.setError(null)}
          onConfirm={(close) =>
            rejecting.run(reason.trim() ? { deployId, reason: reason.trim() } : { deployId }, () => {
              close();
              notify("Rejected");
              router.refresh();
            })
          }
        >
          {rejecting.pending ? "Rejecting…" : "Reject"}
        </ConfirmButton>
        {why ? (
          <span id={`${deployId}-why`} className="text-sm text-slate-600" data-testid="approval-why">
            {why}
          </span>
        ) : null}
      </div>
    </Card>
  );
}
