"use server";

import { revalidatePath } from "next/cache";
import { verifyAuditChainAction } from "@/lib/actions/audit";
import { runServerAction } from "@/lib/actions/server-action";

export async function verifyAuditChainNow(input: unknown) {
  const result = await runServerAction(verifyAuditChainAction, input ?? {});
  revalidatePath("/audit");
  return result;
}
