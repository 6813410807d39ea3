import { approveDeployAction, rejectDeployAction } from "../actions/deploys";
import type { ApiRoute } from "./routes";

/** Approvals (issue 15): deciding on a deploy request that waits as awaiting_approval. Listed in API_ROUTES. */
export const APPROVAL_ROUTES: ApiRoute[] = [
  {
    method: "post",
    path: "/api/v1/deploys/{deployId}/approve",
    summary: "Approve a deploy request",
    description:
      "For a deploy to an environment that requires approval (it waits as `awaiting_approval`). A deployer or admin other than the requester approves it: it is queued, taking the app's lock, and runs. A token counts as the user who created it, so neither approves what the other requested (403). A request older than the environment's `approvalTtlMinutes` has expired.",
    tag: "Deploys",
    definition: approveDeployAction,
    success: { status: 202, description: "Approved and queued", schema: "Accepted" },
    conflict: "It is not awaiting approval (already decided or expired), or the app is locked by another deploy (the message names who holds it; the request stays awaiting)",
    example: { path: { deployId: "DEPLOY_ID" } },
  },
  {
    method: "post",
    path: "/api/v1/deploys/{deployId}/reject",
    summary: "Reject a deploy request",
    description: "Ends a request awaiting approval as `rejected`, with the optional `reason` as its error. The same people may reject as may approve; the requester withdraws a request with cancel instead.",
    tag: "Deploys",
    definition: rejectDeployAction,
    success: { status: 202, description: "Rejected", schema: "Accepted" },
    conflict: "It is not awaiting approval (already decided or expired)",
    example: { path: { deployId: "DEPLOY_ID" }, body: { reason: "not during the launch" } },
  },
];
