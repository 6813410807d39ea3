"use server";

import { runSecondFactorStep } from "@/lib/actions/account";

export async function submitSecondFactor(input: unknown) {
  return runSecondFactorStep(input);
}
