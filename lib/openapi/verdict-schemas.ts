import type { JsonSchema } from "./json-schema";

/** The release verdict a deploy carries (issue 15; Deploy.verdict in GET /api/v1/deploys/{id}). */
export const VERDICT_SCHEMAS: Record<string, JsonSchema> = {
  VerdictSide: {
    type: "object",
    properties: {
      checks: { type: "integer" },
      failures: { type: "integer" },
      errorRate: { type: "number", description: "Percent, 0–100" },
      p95LatencyMs: { type: ["number", "null"], description: "Of the checks that answered" },
    },
    required: ["checks", "failures", "errorRate", "p95LatencyMs"],
  },
  DeployVerdict: {
    type: "object",
    properties: {
      outcome: { enum: ["passed", "regressed", "inconclusive"] },
      summary: { type: "string", examples: ["error rate regressed: error rate 33.3% vs 0% before; p95 3 ms vs 2 ms; rolled back"] },
      numbers: {
        type: ["object", "null"],
        properties: {
          soak: { $ref: "#/components/schemas/VerdictSide" },
          baseline: { $ref: "#/components/schemas/VerdictSide" },
          maxErrorRateIncrease: { type: "number", description: "Percentage points" },
          maxLatencyRatio: { type: "number" },
          minLatencyIncreaseMs: { type: "number" },
          minSamples: { type: "integer" },
          regressions: { type: "array", items: { type: "string" }, examples: [["error rate"]] },
          mode: { enum: ["alert", "rollback"] },
          environment: { type: "string" },
        },
      },
    },
    required: ["outcome", "summary", "numbers"],
  },
};
