// ESLint 9 flat config: Next's rules (React, hooks, a11y, import, core web vitals), typescript-eslint's
// recommended set, and eslint-config-prettier last, which turns off every rule Prettier's formatting covers.
// `npm run lint` runs it with --max-warnings=0, so a warning fails the run like an error.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";
import tseslint from "typescript-eslint";

export default defineConfig([
  globalIgnores([".next*/**", "node_modules/**", "lib/generated/**", "test-results/**", "playwright-report/**", ".data/**", "docs/screens/**", "public/**", "bench/results/**", "next-env.d.ts"]),
  ...nextVitals,
  ...nextTs,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Next's TypeScript preset only warns; an unused name is a real error here (`_` marks one kept on purpose).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "@typescript-eslint/no-unused-expressions": "error",
    },
  },
  {
    // Server-side code has functions named use* that are not React hooks (useBossForSending, useBenchDatabase).
    files: ["lib/**", "bench/**", "scripts/**", "bin/**", "test/**", "e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // Pages and layouts are Server Components: they render once per request, so reading the clock there is fine.
    files: ["app/**/page.tsx", "app/**/layout.tsx"],
    rules: { "react-hooks/purity": "off" },
  },
  prettier,
]);
