import { apiAction, apiQuery } from "@/lib/actions/api";
import { listTokensRead } from "@/lib/actions/reads";
import { createTokenAction } from "@/lib/actions/users";
import { tokenJson } from "@/lib/actions/wire";
import { listApiTokens } from "@/lib/queries/users";

export const dynamic = "force-dynamic";

/** GET /api/v1/tokens (admin) → every token by prefix, newest first; never a secret. */
export const GET = apiQuery({ ...listTokensRead, handler: async () => (await listApiTokens()).map(tokenJson) });
/** POST /api/v1/tokens (admin) {name, role, expiresInDays?} → 201 with `token`, shown this once. */
export const POST = apiAction(createTokenAction, { status: 201 });
