import { apiQuery } from "@/lib/actions/api";
import { deployLogRead } from "@/lib/actions/reads";
import { getDeployLogFile } from "@/lib/queries/deploys";

export const GET = apiQuery({
  ...deployLogRead,
  handler: async ({ deployId, ansi, download }) => {
    const { text, fileName } = await getDeployLogFile(deployId, ansi);
    const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" };
    if (download) headers["content-disposition"] = `attachment; filename="${fileName}"`;
    return new Response(text, { headers });
  },
});
