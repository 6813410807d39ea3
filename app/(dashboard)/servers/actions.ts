"use server";

import { revalidatePath } from "next/cache";
import { deleteServerAction, updateServerAction } from "@/lib/actions/servers";
import { runServerAction } from "@/lib/actions/server-action";

// The same action definitions PATCH and DELETE /api/v1/servers/{serverId} use.
export async function updateServer(input: unknown) {
  const r = await runServerAction(updateServerAction, input);
  revalidatePath("/servers", "layout");
  return r;
}
export async function removeServer(input: unknown) {
  const r = await runServerAction(deleteServerAction, input);
  revalidatePath("/servers", "layout");
  return r;
}
