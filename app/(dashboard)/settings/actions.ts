"use server";

import { revalidatePath } from "next/cache";
import { runServerAction } from "@/lib/actions/server-action";
import {
  createTokenAction,
  createUserAction,
  deleteUserAction,
  resetTwoFactorAction,
  revokeTokenAction,
  setTwoFactorPolicyAction,
  setUserDisabledAction,
  setUserPasswordAction,
  setUserRoleAction,
  unlockUserAction,
} from "@/lib/actions/users";

async function run<R>(result: Promise<R>): Promise<R> {
  const r = await result;
  revalidatePath("/settings");
  return r;
}

export async function createUser(input: unknown) {
  return run(runServerAction(createUserAction, input));
}
export async function deleteUser(input: unknown) {
  return run(runServerAction(deleteUserAction, input));
}
export async function setUserRole(input: unknown) {
  return run(runServerAction(setUserRoleAction, input));
}
export async function setUserPassword(input: unknown) {
  return run(runServerAction(setUserPasswordAction, input));
}
export async function setUserDisabled(input: unknown) {
  return run(runServerAction(setUserDisabledAction, input));
}
export async function unlockUser(input: unknown) {
  return run(runServerAction(unlockUserAction, input));
}
export async function resetTwoFactor(input: unknown) {
  return run(runServerAction(resetTwoFactorAction, input));
}
export async function setTwoFactorPolicy(input: unknown) {
  return run(runServerAction(setTwoFactorPolicyAction, input));
}
export async function createToken(input: unknown) {
  return run(runServerAction(createTokenAction, input));
}
export async function revokeToken(input: unknown) {
  return run(runServerAction(revokeTokenAction, input));
}
