"use server";

import { runServerAction } from "@/lib/actions/server-action";
import { createEnvironmentAction, createFreezeAction, deleteEnvironmentAction, deleteFreezeAction, updateEnvironmentAction } from "@/lib/actions/environments";

// Environments and freeze windows from the app page: the same definitions (and audit) as the API routes.
export async function createEnvironment(input: unknown) {
  return runServerAction(createEnvironmentAction, input);
}
export async function updateEnvironment(input: unknown) {
  return runServerAction(updateEnvironmentAction, input);
}
export async function deleteEnvironment(input: unknown) {
  return runServerAction(deleteEnvironmentAction, input);
}
export async function createFreeze(input: unknown) {
  return runServerAction(createFreezeAction, input);
}
export async function deleteFreeze(input: unknown) {
  return runServerAction(deleteFreezeAction, input);
}
