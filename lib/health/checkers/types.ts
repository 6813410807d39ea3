import type { AddressGuard, Resolver } from "../../net/guard";

export interface CheckOutcome {
  ok: boolean;
  /** Time to the answer (HTTP headers, TCP connect, SSH command exit); the timeout when it hung. */
  latencyMs: number | null;
  /** One short line for people: "HTTP 200", "timed out after 5000 ms", "exit 3: inactive". */
  detail: string;
}

export interface CheckContext {
  guard: AddressGuard;
  resolve?: Resolver;
  /** Aborted when the scheduler stops; the check ends at once as a failure that is not recorded. */
  signal?: AbortSignal;
}
