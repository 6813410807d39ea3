"use server";

import { revalidatePath } from "next/cache";
import { runServerAction } from "@/lib/actions/server-action";
import { createAppAction, deleteAppAction, removeEnvVarAction, setEnvVarAction, updateAppAction } from "@/lib/actions/apps";
import { approveDeployAction, cancelDeployAction, rejectDeployAction, startDeployAction, startRollbackAction } from "@/lib/actions/deploys";
import { createDeployHookAction, deleteDeployHookAction, saveWebhookAction } from "@/lib/actions/push";
import { startPromotionAction } from "@/lib/actions/environments";
import { createServerAction, deleteServerAction, pinHostKeyAction, verifyServerAction } from "@/lib/actions/servers";

// Server actions for the deploy pages: each is the same definition the API route uses.
export async function createServer(input: unknown) {
  const r = await runServerAction(createServerAction, input);
  revalidatePath("/servers");
  return r;
}
export async function deleteServer(input: unknown) {
  const r = await runServerAction(deleteServerAction, input);
  revalidatePath("/servers");
  return r;
}
export async function verifyServer(input: unknown) {
  const r = await runServerAction(verifyServerAction, input);
  revalidatePath("/servers");
  return r;
}
export async function pinHostKey(input: unknown) {
  const r = await runServerAction(pinHostKeyAction, input);
  revalidatePath("/servers");
  return r;
}
export async function createApp(input: unknown) {
  const r = await runServerAction(createAppAction, input);
  revalidatePath("/apps");
  return r;
}
export async function updateApp(input: unknown) {
  const r = await runServerAction(updateAppAction, input);
  revalidatePath("/apps");
  return r;
}
export async function deleteApp(input: unknown) {
  const r = await runServerAction(deleteAppAction, input);
  if (r.ok) revalidatePath("/apps");
  return r;
}
export async function setEnvVar(input: unknown) {
  return runServerAction(setEnvVarAction, input);
}
export async function removeEnvVar(input: unknown) {
  return runServerAction(removeEnvVarAction, input);
}
export async function startDeploy(input: unknown) {
  return runServerAction(startDeployAction, input);
}
export async function startRollback(input: unknown) {
  return runServerAction(startRollbackAction, input);
}
export async function startPromotion(input: unknown) {
  return runServerAction(startPromotionAction, input);
}
export async function cancelDeploy(input: unknown) {
  return runServerAction(cancelDeployAction, input);
}
export async function saveWebhook(input: unknown) {
  return runServerAction(saveWebhookAction, input);
}
export async function createDeployHook(input: unknown) {
  return runServerAction(createDeployHookAction, input);
}
export async function deleteDeployHook(input: unknown) {
  return runServerAction(deleteDeployHookAction, input);
}
export async function approveDeploy(input: unknown) {
  return runServerAction(approveDeployAction, input);
}
export async function rejectDeploy(input: unknown) {
  return runServerAction(rejectDeployAction, input);
}
