import type { Prisma } from "../../generated/prisma/client";
import { env } from "../../env";
import { addGlobalStep, CancelledError, runStep, StepError, type RunContext } from "../steps";
import { deployEnvironment, type ReleasePolicy } from "./environment";
import { figuresOf, formatRate, judge, type Verdict } from "./maths";
import { checkSamples } from "./samples";

/** The baseline: the previous release's results in at most this long before the deploy started. */
export const BASELINE_WINDOW_MS = 30 * 60_000;
/** Fewer results than this on either side: inconclusive (a 5-minute soak of a 60 s monitor has 5). */
export const MIN_SAMPLES = 5;
/** A p95 that grows by less than this is noise, whatever the ratio. */
export const MIN_LATENCY_INCREASE_MS = 50;
/** Results of checks started just before the soak ended are written up to a flush later. */
const LATE_RESULTS_MS = 1_500;

/** How long a soak lasts: the environment's minutes, unless DECKHAND_SOAK_SECONDS_OVERRIDE (tests, demos) says otherwise. */
export function soakSeconds(policy: ReleasePolicy): number {
  return env().DECKHAND_SOAK_SECONDS_OVERRIDE ?? policy.soakMinutes * 60;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError("cancelled"));
    const timer = setTimeout(() => (signal.removeEventListener("abort", onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(timer), reject(new CancelledError("cancelled")));
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function progressUnit(total: number): { every: number; unit: "min" | "s"; per: number } {
  if (total >= 120) return { every: 60, unit: "min", per: 60 };
  return { every: Math.max(1, Math.ceil(total / 5)), unit: "s", per: 1 };
}

/** The soak itself: waits `total` seconds (cancellable), saying how the new release is doing as it goes. */
async function soak(ctx: RunContext, stepId: string, total: number, startedAt: Date): Promise<void> {
  const { every, unit, per } = progressUnit(total);
  ctx.sink.system(`soaking for ${unit === "min" ? `${Math.round(total / 60)} min` : `${total} s`}: the app's monitors keep checking the new release`, { stepId });
  for (let done = 0; done < total;) {
    const step = Math.min(every, total - done);
    await sleep(step * 1000, ctx.abort.signal);
    done += step;
    const f = figuresOf(await checkSamples(ctx.client, ctx.app.id, startedAt, new Date()));
    const shown = unit === "min" ? `${Math.floor(done / per)}/${Math.round(total / per)} min` : `${done}/${total} s`;
    ctx.sink.system(`soak ${shown}: ${f.checks} check${f.checks === 1 ? "" : "s"}, error rate ${formatRate(f.errorRate)}`, { stepId });
  }
  await sleep(LATE_RESULTS_MS, ctx.abort.signal);
}

/** Where the baseline starts: 30 minutes before the deploy, or when the previous release went live if later. */
async function baselineFrom(ctx: RunContext, deployStartedAt: Date): Promise<Date> {
  const previous = await ctx.client.deploy.findFirst({
    where: { appId: ctx.app.id, status: "succeeded", releaseId: { not: null }, finishedAt: { lte: deployStartedAt } },
    orderBy: { finishedAt: "desc" },
    select: { finishedAt: true },
  });
  const windowStart = deployStartedAt.getTime() - BASELINE_WINDOW_MS;
  return new Date(Math.max(windowStart, previous?.finishedAt?.getTime() ?? windowStart));
}

async function judgeSoak(ctx: RunContext, policy: ReleasePolicy, from: Date, to: Date): Promise<Verdict> {
  const d = await ctx.client.deploy.findUniqueOrThrow({ where: { id: ctx.deployId }, select: { startedAt: true, createdAt: true } });
  const started = d.startedAt ?? d.createdAt;
  const [soakSamples, baselineSamples] = await Promise.all([checkSamples(ctx.client, ctx.app.id, from, to), checkSamples(ctx.client, ctx.app.id, await baselineFrom(ctx, started), started)]);
  return judge(soakSamples, baselineSamples, {
    maxErrorRateIncrease: policy.verdictMaxErrorRateIncrease,
    maxLatencyRatio: policy.verdictMaxLatencyRatio,
    minLatencyIncreaseMs: MIN_LATENCY_INCREASE_MS,
    minSamples: MIN_SAMPLES,
  });
}

async function storeVerdict(ctx: RunContext, verdict: Verdict, summary: string, policy: ReleasePolicy): Promise<void> {
  const numbers = { ...verdict.numbers, mode: policy.verdict, environment: policy.name };
  await ctx.client.deploy.update({ where: { id: ctx.deployId }, data: { verdict: verdict.outcome, verdictSummary: summary, verdictNumbers: numbers as unknown as Prisma.InputJsonValue } });
}

/** What the summary adds for the mode: the action taken on a regression. */
function consequence(verdict: Verdict, policy: ReleasePolicy): string {
  if (verdict.outcome !== "regressed") return "";
  return policy.verdict === "rollback" ? "; rolled back" : "; alert sent, release kept";
}

/**
 * The soak stage of a deploy whose environment has a verdict: after every server passed its health check the
 * new release soaks (the deploy keeps running, so it holds the app's lock), then is judged against the
 * previous release. In `rollback` mode a regression fails the soak step; the stage's onFailure puts the
 * previous release back exactly as after a failed health check. In `alert` mode the release stays and the
 * deploy's alert is a regression alert (lib/alerts/deploy-alerts.ts reads the verdict).
 */
export async function soakAndJudge(ctx: RunContext): Promise<void> {
  if (ctx.kind !== "deploy") return;
  const policy = await deployEnvironment(ctx.client, ctx.deployId, ctx.app.id);
  if (!policy || policy.verdict === "off") return;
  await addGlobalStep(ctx, "soak");
  await runStep(ctx, null, "soak", async (stepId) => {
    const from = new Date();
    await soak(ctx, stepId, soakSeconds(policy), from);
    const verdict = await judgeSoak(ctx, policy, from, new Date());
    const summary = verdict.summary + consequence(verdict, policy);
    await storeVerdict(ctx, verdict, summary, policy);
    ctx.sink.system(`release verdict (${policy.name}, ${policy.verdict}): ${summary}`, { stepId });
    if (verdict.outcome === "regressed" && policy.verdict === "rollback") throw new StepError(`release verdict: ${summary}`, true);
  });
}
