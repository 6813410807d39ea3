import type { TLSSocket } from "node:tls";
import { z } from "zod";
import { checkDeadline, CheckTimeoutError } from "../../net/deadline";
import { describeNetworkError } from "../../net/errors";
import { TargetDeniedError } from "../../net/guard";
import { guardedRequest, readUpTo } from "../../net/http";
import { checkBodyAssertions, type Assertion } from "../assertions";
import { certificateOf } from "../tls";
import type { CheckContext, CheckFacts, CheckOutcome } from "./types";

/** A keyword is searched in the first MiB of the body: a health page is small, a runaway one is not read whole. */
const MAX_BODY_BYTES = 1024 * 1024;
export const HTTP_METHODS = ["GET", "HEAD", "POST", "OPTIONS"] as const;

/** "200-399", "200", "200,204,300-302": what counts as up. */
export const expectedStatusSchema = z
  .string()
  .trim()
  .regex(/^\d{3}(-\d{3})?(\s*,\s*\d{3}(-\d{3})?)*$/, "use codes and ranges such as 200-399 or 200,204")
  .refine((v) => parseExpectedStatus(v).every(([lo, hi]) => lo >= 100 && hi <= 599 && lo <= hi), "codes must be 100-599, ranges low-high");

export function parseExpectedStatus(spec: string): [number, number][] {
  return spec.split(",").map((part) => {
    const [lo, hi] = part.trim().split("-").map(Number);
    return [lo!, hi ?? lo!];
  });
}

export function statusMatches(status: number, spec: string): boolean {
  return parseExpectedStatus(spec).some(([lo, hi]) => status >= lo && status <= hi);
}

export interface HttpCheckSpec {
  url: string;
  method: string;
  expectedStatus: string;
  keyword?: string | null;
  /** JSON body conditions (lib/health/assertions.ts): down when one fails. */
  assertions?: Assertion[] | null;
  timeoutMs: number;
}

export async function checkHttp(spec: HttpCheckSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const started = performance.now();
  const deadline = checkDeadline(spec.timeoutMs, ctx.signal);
  try {
    const { res, hops } = await guardedRequest(new URL(spec.url), spec.method, ctx, deadline.signal, undefined, { ca: ctx.ca });
    const latencyMs = performance.now() - started;
    const status = res.statusCode ?? 0;
    const via = hops > 0 ? ` after ${hops} redirect${hops > 1 ? "s" : ""}` : "";
    // The certificate of the hop that answered, read before the socket closes.
    const certificate = res.socket && "getPeerCertificate" in res.socket ? certificateOf(res.socket as TLSSocket, new Date()) : null;
    const facts: CheckFacts = certificate ? { certificate } : {};
    const withFacts = (o: CheckOutcome): CheckOutcome => (facts.certificate || facts.assertions ? { ...o, facts } : o);
    if (!statusMatches(status, spec.expectedStatus)) {
      res.destroy();
      return withFacts({ ok: false, latencyMs, detail: `HTTP ${status}${via} (expected ${spec.expectedStatus})` });
    }
    const assertions = spec.assertions?.length ? spec.assertions : null;
    if (!spec.keyword && !assertions) {
      res.destroy();
      return withFacts({ ok: true, latencyMs, detail: `HTTP ${status}${via}` });
    }
    const text = await readUpTo(res, MAX_BODY_BYTES);
    if (spec.keyword && !text.includes(spec.keyword)) return withFacts({ ok: false, latencyMs, detail: `HTTP ${status}${via}: keyword "${spec.keyword}" not found` });
    if (assertions) {
      const checked = checkBodyAssertions(text, assertions);
      facts.assertions = checked.results;
      if (!checked.ok) return withFacts({ ok: false, latencyMs, detail: `HTTP ${status}${via}: ${checked.failure}` });
      return withFacts({ ok: true, latencyMs, detail: `HTTP ${status}${via}, ${assertions.length} assertion${assertions.length > 1 ? "s" : ""} passed` });
    }
    return withFacts({ ok: true, latencyMs, detail: `HTTP ${status}${via}` });
  } catch (err) {
    const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : err;
    if (reason instanceof CheckTimeoutError) return { ok: false, latencyMs: spec.timeoutMs, detail: reason.message };
    if (reason instanceof TargetDeniedError) return { ok: false, latencyMs: null, detail: reason.message };
    return { ok: false, latencyMs: null, detail: describeNetworkError(reason) };
  } finally {
    deadline.done();
  }
}
