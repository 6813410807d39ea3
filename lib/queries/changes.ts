import { listChanges, type Changes } from "../deploy/changes";

/** What a deploy or rollback of the app to `to` would change (lib/deploy/changes.ts): the API route and the UI read this. */
export function getChanges(appId: string, to: string): Promise<Changes> {
  return listChanges(appId, to);
}
