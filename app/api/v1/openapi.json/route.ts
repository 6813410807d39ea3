import { withRequestLog } from "@/lib/actions/api";
import { getOpenApiDocument } from "@/lib/openapi/api-docs";

export const dynamic = "force-dynamic";

/** No sign-in: the document describes the API (open source anyway), never anyone's data. */
export const GET = withRequestLog(async () => Response.json(getOpenApiDocument(), { headers: { "cache-control": "public, max-age=300" } }));
