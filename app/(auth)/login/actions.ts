"use server";

import { secondFactorFromForm, signInFromForm, signOutFromForm } from "@/lib/actions/sign-in-forms";
import type { FormState } from "@/lib/actions/form-state";

export async function signInAction(prev: FormState<null>, form: FormData) {
  return signInFromForm(prev, form);
}

export async function secondFactorAction(prev: FormState<null>, form: FormData) {
  return secondFactorFromForm(prev, form);
}

/** The Sign out buttons (the dashboard's top bar and the sign-in steps): a form, so it works before JavaScript. */
export async function signOutAction() {
  return signOutFromForm();
}
