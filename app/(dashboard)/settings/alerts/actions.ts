"use server";

import { revalidatePath } from "next/cache";
import { createChannelAction, deleteChannelAction, testChannelAction, updateChannelAction } from "@/lib/actions/alerts";
import { runServerAction } from "@/lib/actions/server-action";

// The same action definitions the /api/v1/channels routes use.
async function run<R>(result: Promise<R>): Promise<R> {
  const r = await result;
  revalidatePath("/settings/alerts");
  return r;
}

export async function createChannel(input: unknown) {
  return run(runServerAction(createChannelAction, input));
}
export async function updateChannel(input: unknown) {
  return run(runServerAction(updateChannelAction, input));
}
export async function deleteChannel(input: unknown) {
  return run(runServerAction(deleteChannelAction, input));
}
export async function testChannel(input: unknown) {
  return run(runServerAction(testChannelAction, input));
}
