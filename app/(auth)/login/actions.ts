"use server";

import { secondFactorFromForm, signInFromForm } from "@/lib/actions/sign-in-forms";
import type { FormState } from "@/lib/actions/form-state";

export async function signInAction(prev: FormState<null>, form: FormData) {
  return signInFromForm(prev, form);
}

export async function secondFactorAction(prev: FormState<null>, form: FormData) {
  return secondFactorFromForm(prev, form);
}
