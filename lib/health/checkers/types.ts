import type { AddressGuard, Resolver } from "../../net/guard";
import type { AssertionResult } from "../assertions";
import type { CertificateFacts } from "../tls";

/** What a check found besides its one-line detail, stored with its result (CheckResult.facts). */
export interface CheckFacts {
  /** The peer certificate (HTTPS and certificate monitors). */
  certificate?: CertificateFacts;
  /** Each response assertion's outcome, in the monitor's order. */
  assertions?: AssertionResult[];
}

export interface CheckOutcome {
  ok: boolean;
  /** Time to the answer (HTTP headers, TCP connect, SSH command exit); the timeout when it hung. */
  latencyMs: number | null;
  /** One short line for people: "HTTP 200", "timed out after 5000 ms", "exit 3: inactive". */
  detail: string;
  /** Up, but slower than the monitor's degraded threshold (ok stays true: it counts as up). */
  degraded?: boolean;
  facts?: CheckFacts;
}

export interface CheckContext {
  guard: AddressGuard;
  resolve?: Resolver;
  /** Aborted when the scheduler stops; the check ends at once as a failure that is not recorded. */
  signal?: AbortSignal;
  /** CAs to trust instead of the system's for TLS checks (PEM); tests use their own. */
  ca?: string[];
}
