import { apiAction, apiQuery } from "@/lib/actions/api";
import { listUsersRead } from "@/lib/actions/reads";
import { createUserAction } from "@/lib/actions/users";
import { userJson } from "@/lib/actions/wire";
import { listUsers } from "@/lib/queries/users";

export const dynamic = "force-dynamic";

/** GET /api/v1/users (admin) → everyone who can sign in, oldest first. */
export const GET = apiQuery({ ...listUsersRead, handler: async () => (await listUsers()).map(userJson) });
/** POST /api/v1/users (admin) {email, name?, password, role} → 201. */
export const POST = apiAction(createUserAction, { status: 201 });
