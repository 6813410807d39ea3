"use server";

import { revalidatePath } from "next/cache";
import { runSessionAction } from "@/lib/actions/server-action";
import { changeOwnPasswordAction, confirmEnrolmentAction, disableTwoFactorAction, endAllOwnSessionsAction, endOwnSessionAction, revokeOwnTokenAction, startEnrolmentAction } from "@/lib/actions/account";

async function run<R>(result: Promise<R>): Promise<R> {
  const r = await result;
  revalidatePath("/account");
  return r;
}

export async function endSession(input: unknown) {
  return run(runSessionAction(endOwnSessionAction, input));
}
export async function endAllSessions(input: unknown) {
  return runSessionAction(endAllOwnSessionsAction, input);
}
export async function changePassword(input: unknown) {
  return run(runSessionAction(changeOwnPasswordAction, input));
}
// Enrolment also works for a session that must enrol before anything else (the sign-in page uses these too).
export async function startTwoFactor(input: unknown) {
  return runSessionAction(startEnrolmentAction, input, ["active", "enrol"]);
}
export async function confirmTwoFactor(input: unknown) {
  return runSessionAction(confirmEnrolmentAction, input, ["active", "enrol"]);
}
export async function disableTwoFactor(input: unknown) {
  return run(runSessionAction(disableTwoFactorAction, input));
}
export async function revokeOwnToken(input: unknown) {
  return run(runSessionAction(revokeOwnTokenAction, input));
}
