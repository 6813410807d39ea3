import { apiAction } from "@/lib/actions/api";
import { revokeTokenAction } from "@/lib/actions/users";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/tokens/{tokenId} (admin) → 204: the token is revoked at once (kept, listed as revoked). */
export const DELETE = apiAction(revokeTokenAction, { status: 204 });
