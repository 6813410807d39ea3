import { deployHookRoute } from "@/lib/actions/push";

export const POST = deployHookRoute;
