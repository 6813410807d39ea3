"use server";

import { setupFromForm } from "@/lib/actions/sign-in-forms";
import type { FormState } from "@/lib/actions/form-state";

export async function setupAction(prev: FormState<null>, form: FormData) {
  return setupFromForm(prev, form);
}
