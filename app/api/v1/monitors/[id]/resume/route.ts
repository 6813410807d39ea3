import { apiAction } from "@/lib/actions/api";
import { resumeMonitorAction } from "@/lib/actions/monitors";

export const dynamic = "force-dynamic";
export const POST = apiAction(resumeMonitorAction);
