import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { connectionFields } from "./lib/db/url";

// Migrations run on the Wasm engine through the pg adapter (Prisma 7's native-engine CLI cannot run offline here).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (npx deckhand db migrate sets it for the embedded database)");
    return new PrismaPg(connectionFields(url));
  },
});
