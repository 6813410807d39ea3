import { apiAction } from "@/lib/actions/api";
import { pauseMonitorAction } from "@/lib/actions/monitors";

export const dynamic = "force-dynamic";
export const POST = apiAction(pauseMonitorAction);
