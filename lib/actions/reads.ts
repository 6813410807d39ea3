import { z } from "zod";
import type { Role } from "../auth/roles";
import { auditExportSchema, auditFilterSchema } from "../queries/audit";
import { bucketSchema, uptimeWindowSchema } from "../queries/monitors";

/**
 * The read-only API routes' name, role and input, kept here rather than inline in app/api so the route
 * and the OpenAPI document (lib/openapi) use the same schema object. The route adds only its handler.
 */
export interface ReadDefinition<S extends z.ZodType> {
  name: string;
  role: Role;
  input: S;
}

function defineRead<S extends z.ZodType>(def: ReadDefinition<S>): ReadDefinition<S> {
  return def;
}

const noInput = z.object({});
const appParams = z.object({ appId: z.string().min(1) });
const deployParams = z.object({ deployId: z.string().min(1) });
const monitorParams = z.object({ id: z.string().min(1) });

export const listServersRead = defineRead({ name: "server.list", role: "viewer", input: noInput });
export const listAppsRead = defineRead({ name: "app.list", role: "viewer", input: noInput });
export const listDeploysRead = defineRead({ name: "deploy.list", role: "viewer", input: appParams });
export const listReleasesRead = defineRead({ name: "release.list", role: "viewer", input: appParams });
export const getDeployRead = defineRead({ name: "deploy.get", role: "viewer", input: deployParams });
export const deployLogRead = defineRead({ name: "deploy.log", role: "viewer", input: deployParams });
export const deployStreamRead = defineRead({ name: "deploy.stream", role: "viewer", input: deployParams });
export const listAuditRead = defineRead({ name: "audit.list", role: "admin", input: auditFilterSchema });
export const exportAuditRead = defineRead({ name: "audit.export", role: "admin", input: auditExportSchema });
export const listMonitorsRead = defineRead({ name: "monitor.list", role: "viewer", input: noInput });
export const getMonitorRead = defineRead({ name: "monitor.get", role: "viewer", input: monitorParams });
export const monitorSeriesRead = defineRead({
  name: "monitor.series",
  role: "viewer",
  input: z.object({
    id: z.string().min(1),
    from: z.iso.datetime({ offset: true }).transform((v) => new Date(v)),
    to: z.iso.datetime({ offset: true }).optional().transform((v) => (v ? new Date(v) : new Date())),
    bucket: bucketSchema,
  }),
});
export const monitorUptimeRead = defineRead({
  name: "monitor.uptime",
  role: "viewer",
  input: z.object({ id: z.string().min(1), window: uptimeWindowSchema.default("24h") }),
});
