"use server";

import { revalidatePath } from "next/cache";
import { createMaintenanceAction, deleteMaintenanceAction } from "@/lib/actions/incidents";
import { runServerAction } from "@/lib/actions/server-action";

// The same action definitions the /api/v1/maintenance routes use.
async function run<R>(result: Promise<R>): Promise<R> {
  const r = await result;
  revalidatePath("/settings/maintenance");
  revalidatePath("/monitors", "layout");
  return r;
}

export async function createMaintenance(input: unknown) {
  return run(runServerAction(createMaintenanceAction, input));
}
export async function deleteMaintenance(input: unknown) {
  return run(runServerAction(deleteMaintenanceAction, input));
}
