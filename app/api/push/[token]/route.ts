import { pushBeatRoute } from "@/lib/actions/heartbeat";

export const dynamic = "force-dynamic";

/** GET or POST /api/push/{token}[?status=down&msg=…&ping=<ms>]: a heartbeat monitor's beat (README, Heartbeat monitors). */
export const GET = pushBeatRoute;
export const POST = pushBeatRoute;
