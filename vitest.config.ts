import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const include = ["lib/**/*.test.ts", "components/**/*.test.ts", "test/**/*.test.ts", "bin/**/*.test.ts"];
/**
 * Files whose assertions are about wall-clock timing (a check starting within 250 ms of its slot, intervals
 * between checks). On a 2-core machine another file's CPU-heavy work (generating 2,000 keys, building a
 * release) delays their timers by more than that, so they run after every other file, one at a time.
 */
const timing = ["lib/health/scheduler.test.ts"];

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    setupFiles: ["test/setup-db.ts"],
    pool: "forks",
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
    projects: [
      { extends: true, test: { name: "parallel", include, exclude: [...configDefaults.exclude, ...timing], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: "timing", include: timing, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
