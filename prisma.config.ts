import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { connectionFields } from "./lib/db/url";

// The CLI reads env("DATABASE_URL") from the schema before anything else; when it cannot, it falls back to
// downloading a native query engine, which fails offline. Commands that need no database (generate) get a
// placeholder; commands that do go through adapter() below, which refuses the placeholder.
const PLACEHOLDER_URL = "postgresql://placeholder@127.0.0.1:1/placeholder";
process.env.DATABASE_URL ??= PLACEHOLDER_URL;

// Migrations run on the Wasm engine through the pg adapter (Prisma 7's native-engine CLI cannot run offline here).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url || url === PLACEHOLDER_URL) throw new Error("DATABASE_URL is not set (npx deckhand db migrate sets it for the embedded database)");
    return new PrismaPg(connectionFields(url));
  },
});
