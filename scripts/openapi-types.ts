/**
 * `npm run openapi:types`: writes test/generated/openapi.d.ts, the TypeScript types openapi-typescript derives
 * from Deckhand's OpenAPI document. test/api/typed-client.test.ts drives the API through openapi-fetch with these
 * types (so `npm run typecheck` proves the document describes what the client sends and reads), and
 * test/api/openapi-lint.test.ts fails when the committed file no longer matches the live document.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openApiTypes } from "../test/helpers/openapi-types";
import { openApiDocument } from "../lib/openapi/document";

const out = path.resolve(import.meta.dirname, "../test/generated/openapi.d.ts");
writeFileSync(out, await openApiTypes(openApiDocument()));
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
