import { rotatePushTokenAction } from "../actions/heartbeat";
import type { ApiRoute } from "./routes";

const beatAnswer = {
  type: "object",
  properties: { ok: { const: true }, status: { type: "string", description: "The monitor's status after this beat (up, down, paused…)" } },
  required: ["ok", "status"],
} as const;

const beatDescription =
  "Called by the job a heartbeat monitor watches (a cron job, a backup), not by people: no session or API token, the secret token in the path is the authentication. Each call is a beat, recorded as a check result. `?status=down` reports a failure (the monitor goes down, with `msg` as the reason), `msg` (up to 500 characters) says what happened, `ping` is the job's duration in milliseconds (the result's latency). A POST may send the same fields as a JSON object instead (`Content-Type: application/json`); another body is not read.";

const beatOther: ApiRoute["other"] = [
  { status: 400, description: "`status` not up or down, `ping` not a number of milliseconds, `msg` too long, or a JSON body that is not an object" },
  { status: 404, description: "No heartbeat monitor has that token (or it was rotated)" },
];

/** Heartbeat (push) monitors: rotating the push URL, and the push URL itself. Listed in API_ROUTES. */
export const HEARTBEAT_ROUTES: ApiRoute[] = [
  {
    method: "post",
    path: "/api/v1/monitors/{id}/push-token",
    summary: "Make a new push URL for a heartbeat monitor",
    description: "The old URL stops working at once. The monitor keeps its history and schedule.",
    tag: "Monitors",
    definition: rotatePushTokenAction,
    success: { status: 200, description: "The new push URL", schema: { type: "object", properties: { id: { type: "string" }, pushUrl: { type: "string" } }, required: ["id", "pushUrl"] } },
    example: { path: { id: "MONITOR_ID" } },
  },
  {
    method: "get",
    path: "/api/push/{token}",
    summary: "A heartbeat (the push URL)",
    description: beatDescription,
    tag: "Monitors",
    definition: null,
    operationId: "heartbeat.beat",
    success: { status: 200, description: "The beat was recorded", schema: beatAnswer },
    other: beatOther,
  },
  {
    method: "post",
    path: "/api/push/{token}",
    summary: "A heartbeat (the push URL), by POST",
    description: beatDescription,
    tag: "Monitors",
    definition: null,
    operationId: "heartbeat.beat_post",
    openBody: {
      type: "object",
      properties: { status: { enum: ["up", "down"] }, msg: { type: "string", maxLength: 500 }, ping: { type: "number", minimum: 0, description: "The job's duration in milliseconds" } },
    },
    success: { status: 200, description: "The beat was recorded", schema: beatAnswer },
    other: beatOther,
  },
];
