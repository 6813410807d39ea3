"use server";

import { headers } from "next/headers";
import { requestMeta } from "@/lib/auth/request-meta";
import { completeSetup } from "@/lib/actions/users";
import { assertCleanInput } from "@/lib/actions/input-strings";
import { toErrorBody, type ActionResult } from "@/lib/actions/server-action";

export async function setupAction(input: { email: string; name: string; password: string }): Promise<ActionResult<{ email: string }>> {
  const h = await headers();
  try {
    const user = await completeSetup(assertCleanInput(input), requestMeta(h));
    return { ok: true, data: { email: user.email } };
  } catch (err) {
    return { ok: false, error: toErrorBody(err, h.get("x-request-id") ?? undefined, "setup") };
  }
}
