import { apiAction } from "@/lib/actions/api";
import { deleteUserAction, updateUserAction } from "@/lib/actions/users";

export const dynamic = "force-dynamic";

/** PATCH /api/v1/users/{userId} (admin): any of name, role, disabled, password. */
export const PATCH = apiAction(updateUserAction);
/** DELETE /api/v1/users/{userId} (admin) → 204; never yourself or the last enabled admin. */
export const DELETE = apiAction(deleteUserAction, { status: 204 });
