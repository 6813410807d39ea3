"use server";

import { revalidatePath } from "next/cache";
import { runServerAction } from "@/lib/actions/server-action";
import { createIncidentAction, createStatusPageAction, deleteIncidentAction, deleteStatusPageAction, updateIncidentAction, updateStatusPageAction } from "@/lib/actions/status-pages";

// The same action definitions the /api/v1/status-pages routes use.
async function run<R>(result: Promise<R>): Promise<R> {
  const r = await result;
  revalidatePath("/settings/status-pages");
  return r;
}

export async function createStatusPage(input: unknown) {
  return run(runServerAction(createStatusPageAction, input));
}
export async function updateStatusPage(input: unknown) {
  return run(runServerAction(updateStatusPageAction, input));
}
export async function deleteStatusPage(input: unknown) {
  return run(runServerAction(deleteStatusPageAction, input));
}
export async function createIncident(input: unknown) {
  return run(runServerAction(createIncidentAction, input));
}
export async function updateIncident(input: unknown) {
  return run(runServerAction(updateIncidentAction, input));
}
export async function deleteIncident(input: unknown) {
  return run(runServerAction(deleteIncidentAction, input));
}
