"use server";

import { revalidatePath } from "next/cache";
import { createMonitorAction, deleteMonitorAction, pauseMonitorAction, resumeMonitorAction, updateMonitorAction, updateNetworkPolicyAction } from "@/lib/actions/monitors";
import { acknowledgeIncidentAction, addIncidentNoteAction } from "@/lib/actions/incidents";
import { runServerAction } from "@/lib/actions/server-action";
import { rotatePushTokenAction } from "@/lib/actions/heartbeat";

// The same action definitions the /api/v1/monitors routes use.
async function run<R>(result: Promise<R>): Promise<R> {
  const r = await result;
  revalidatePath("/monitors", "layout");
  revalidatePath("/");
  return r;
}

export async function createMonitor(input: unknown) {
  return run(runServerAction(createMonitorAction, input));
}
export async function updateMonitor(input: unknown) {
  return run(runServerAction(updateMonitorAction, input));
}
export async function pauseMonitor(input: unknown) {
  return run(runServerAction(pauseMonitorAction, input));
}
export async function resumeMonitor(input: unknown) {
  return run(runServerAction(resumeMonitorAction, input));
}
export async function deleteMonitor(input: unknown) {
  return run(runServerAction(deleteMonitorAction, input));
}
export async function rotatePushToken(input: unknown) {
  return run(runServerAction(rotatePushTokenAction, input));
}
export async function updateNetworkPolicy(input: unknown) {
  return run(runServerAction(updateNetworkPolicyAction, input));
}
export async function acknowledgeIncident(input: unknown) {
  return run(runServerAction(acknowledgeIncidentAction, input));
}
export async function addIncidentNote(input: unknown) {
  return run(runServerAction(addIncidentNoteAction, input));
}
