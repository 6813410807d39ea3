import { z } from "zod";
import { environmentNameSchema } from "./schemas/environments";
import type { Permission } from "../auth/permissions";
import { auditExportSchema, auditFilterSchema } from "./schemas/audit";
import { bucketSchema, uptimeWindowSchema } from "./schemas/monitors";
import { incidentListSchema } from "../health/incidents";

/**
 * The read-only API routes' name, permission and input, kept here rather than inline in app/api so the route
 * and the OpenAPI document (lib/openapi) use the same schema object. The route adds only its handler.
 */
export interface ReadDefinition<S extends z.ZodType> {
  name: string;
  permission: Permission;
  input: S;
}

function defineRead<S extends z.ZodType>(def: ReadDefinition<S>): ReadDefinition<S> {
  return def;
}

const noInput = z.object({});
const appParams = z.object({ appId: z.string().min(1) });
const deployParams = z.object({ deployId: z.string().min(1) });
const monitorParams = z.object({ id: z.string().min(1) });

export const listServersRead = defineRead({ name: "server.list", permission: "viewDashboard", input: noInput });
export const listAppsRead = defineRead({ name: "app.list", permission: "viewDashboard", input: noInput });
export const listDeploysRead = defineRead({ name: "deploy.list", permission: "viewDashboard", input: appParams });
export const listEnvironmentsRead = defineRead({ name: "environment.list", permission: "viewDashboard", input: appParams });
export const getEnvironmentRead = defineRead({ name: "environment.get", permission: "viewDashboard", input: appParams.extend({ name: z.string().min(1).max(40) }) });
export const listFreezesRead = defineRead({ name: "environment.freeze.list", permission: "viewDashboard", input: appParams.extend({ name: z.string().min(1).max(40) }) });
export const listReleasesRead = defineRead({ name: "release.list", permission: "viewDashboard", input: appParams.extend({ environment: z.string().min(1).max(40).optional() }) });
export const listEnvRead = defineRead({ name: "app.env.list", permission: "viewDashboard", input: appParams.extend({ environment: environmentNameSchema.optional() }) });
export const getDeployRead = defineRead({ name: "deploy.get", permission: "viewDashboard", input: deployParams });
export const deployLogRead = defineRead({
  name: "deploy.log",
  permission: "viewDashboard",
  input: deployParams.extend({
    ansi: z.enum(["strip", "keep"], { error: "ansi: strip or keep" }).default("strip"),
    download: z
      .enum(["true", "false"], { error: "download: true or false" })
      .default("false")
      .transform((v) => v === "true"),
  }),
});
export const listChangesRead = defineRead({
  name: "app.changes",
  permission: "viewDashboard",
  input: z.object({
    appId: z.string().min(1),
    to: z.string().trim().min(1, "to: give a release id, branch, tag or commit SHA").max(255, "to: at most 255 characters"),
  }),
});
export const deployStreamRead = defineRead({ name: "deploy.stream", permission: "viewDashboard", input: deployParams });
export const listAuditRead = defineRead({ name: "audit.list", permission: "viewAudit", input: auditFilterSchema });
export const exportAuditRead = defineRead({ name: "audit.export", permission: "viewAudit", input: auditExportSchema });
export const listMonitorsRead = defineRead({ name: "monitor.list", permission: "viewDashboard", input: noInput });
export const getMonitorRead = defineRead({ name: "monitor.get", permission: "viewDashboard", input: monitorParams });
export const monitorSeriesRead = defineRead({
  name: "monitor.series",
  permission: "viewDashboard",
  input: z.object({
    id: z.string().min(1),
    from: z.iso.datetime({ offset: true }).transform((v) => new Date(v)),
    to: z.iso
      .datetime({ offset: true })
      .optional()
      .transform((v) => (v ? new Date(v) : new Date())),
    bucket: bucketSchema,
  }),
});
export const monitorUptimeRead = defineRead({
  name: "monitor.uptime",
  permission: "viewDashboard",
  input: z.object({ id: z.string().min(1), window: uptimeWindowSchema.default("24h") }),
});
export const listChannelsRead = defineRead({ name: "notification_channel.list", permission: "manageMonitors", input: noInput });
export const getChannelRead = defineRead({ name: "notification_channel.get", permission: "manageMonitors", input: z.object({ id: z.string().min(1) }) });
export const listUsersRead = defineRead({ name: "user.list", permission: "manageUsers", input: noInput });
export const listTokensRead = defineRead({ name: "token.list", permission: "manageTokens", input: noInput });

const statusPageParams = z.object({ id: z.string().min(1).max(64) });
export const listStatusPagesRead = defineRead({ name: "status_page.list", permission: "manageMonitors", input: noInput });
export const getStatusPageRead = defineRead({ name: "status_page.get", permission: "manageMonitors", input: statusPageParams });
export const listIncidentsRead = defineRead({ name: "incident.list", permission: "viewDashboard", input: incidentListSchema });
export const listMaintenanceRead = defineRead({ name: "maintenance.list", permission: "viewDashboard", input: noInput });
export const getMaintenanceRead = defineRead({ name: "maintenance.get", permission: "viewDashboard", input: z.object({ id: z.string().min(1) }) });
