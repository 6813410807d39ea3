import { db } from "../db/client";

export async function getSetupState(): Promise<{ needsSetup: boolean }> {
  return { needsSetup: (await db().user.count()) === 0 };
}
