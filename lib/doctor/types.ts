/** One line of `deckhand doctor`: what was checked, how it went, and a detail a person can act on. */
export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
}
