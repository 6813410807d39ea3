import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "test/**/*.test.ts", "bin/**/*.test.ts"],
    setupFiles: ["test/setup-db.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: {
      DECKHAND_SECRET: "test-secret-test-secret-test-secret-0123456789",
      LOG_LEVEL: "warn",
      NODE_ENV: "test",
      DECKHAND_DEPLOY_LOG_MAX_BYTES: String(1024 * 1024),
      DECKHAND_HEALTH_RETRIES: "4",
      DECKHAND_HEALTH_RETRY_DELAY_MS: "300",
      DECKHAND_SSH_CONNECT_TIMEOUT_MS: "4000",
    },
  },
});
