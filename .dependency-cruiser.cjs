/**
 * The rooms of ../shared/docs/STYLE.md as rules (`npm run check:rooms`, part of `npm test`). Only run-time
 * imports count: `import type` (a type-only dependency) is free everywhere.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const DOMAIN = "^lib/(deploy|health|alerts|servers|apps|audit|auth|actions|queries|doctor|openapi|cli|net|status-pages)/|^lib/worker[.]ts$";

module.exports = {
  forbidden: [
    {
      name: "app-no-database-or-ssh",
      comment: "app/ is routing only: it reaches the database and SSH through lib/queries and lib/actions, never directly.",
      severity: "error",
      from: { path: "^app/" },
      to: { path: ["^lib/(db|ssh|generated)/", "^node_modules/(@prisma|ssh2|pg|pg-boss)/"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "app-only-front-rooms",
      comment: "A file in app/ may import lib/queries, lib/actions, lib/auth, lib/openapi (the API described), lib/errors, lib/log and components/ — nothing deeper.",
      severity: "error",
      from: { path: "^app/" },
      to: { path: "^lib/", pathNot: "^lib/(queries|actions|auth|openapi)/|^lib/(errors|log)[.]ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "components-no-server-modules",
      comment: "Components run in the browser too: at run time they import nothing from lib/ (types only).",
      severity: "error",
      from: { path: "^components/", pathNot: "[.]test[.]tsx?$" },
      to: { path: "^lib/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "ssh-no-database",
      comment: "lib/ssh knows nothing of the database.",
      severity: "error",
      from: { path: "^lib/ssh/" },
      to: { path: ["^lib/(db|generated)/", "^node_modules/(@prisma|pg|pg-boss)/"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "health-and-alerts-not-deploy",
      comment: "lib/health and lib/alerts reach servers through lib/servers, never through lib/deploy.",
      severity: "error",
      from: { path: "^lib/(health|alerts)/" },
      to: { path: "^lib/deploy/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "jobs-no-domain",
      comment: "lib/jobs is pg-boss infrastructure: it knows no domain room.",
      severity: "error",
      from: { path: "^lib/jobs/" },
      to: { path: DOMAIN, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "only-lib-touches-prisma",
      comment: "Only lib/ touches Prisma.",
      severity: "error",
      from: { path: "^(app|components)/" },
      to: { path: ["^lib/generated/", "^node_modules/@prisma/"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-cycles-between-lib-folders",
      comment: "No circular dependencies between the folders of lib/.",
      severity: "error",
      scope: "folder",
      from: { path: "^lib/" },
      to: { path: "^lib/", circular: true, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-circular-modules",
      comment: "No file-level import cycles.",
      severity: "error",
      from: { path: "^(lib|app|components)/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Tests cross rooms on purpose (a test of an action drives the real deploy); the rules are about the product code.
    exclude: { path: ["^(node_modules|lib/generated|[.]next|[.]next-test|[.]data|test-results)/", "[.](test|spec)[.]tsx?$", "/testing/", "/testing[.]ts$"] },
    // Type-only imports are seen (and named "type-only") so the rules can let them through.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"], exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
