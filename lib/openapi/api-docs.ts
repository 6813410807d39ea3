import { openApiDocument, type OpenApiDocument } from "./document";
import { apiReference, type TagView } from "./reference";

/** GET /api/v1/openapi.json. */
export function getOpenApiDocument(): OpenApiDocument {
  return openApiDocument();
}

/** The /api-docs page: the same document, grouped by tag and flattened for reading. */
export function getApiReference(): TagView[] {
  return apiReference(openApiDocument());
}
