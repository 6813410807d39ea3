import { decryptSecret, encryptSecret } from "../crypto/secretbox";
import type { Db, Tx } from "../db/client";
import { ValidationError } from "../errors";
import { log } from "../log";
import { maskRepoUrl, REPO_CREDENTIAL_MASK, repoCredentialOf, unmaskRepoUrl } from "./repo-url";

/** An app's repository URL as stored: masked for display, the credential encrypted beside it. */
export interface StoredRepoUrl {
  repoUrl: string;
  encryptedRepoCredential: string | null;
}

/** The credential an app holds now: sealed, or still in a URL stored before credentials were sealed. */
function currentCredential(stored: StoredRepoUrl): string | null {
  if (stored.encryptedRepoCredential) return decryptSecret(stored.encryptedRepoCredential);
  const plain = repoCredentialOf(stored.repoUrl)?.secret;
  return plain && plain !== REPO_CREDENTIAL_MASK ? plain : null;
}

/**
 * What to store for a repository URL typed by an admin. A credential is sealed; `***` in its place (the URL
 * as the form shows it) keeps the credential already stored, and is refused when there is none.
 */
export function repoUrlToStore(input: string, existing?: StoredRepoUrl): StoredRepoUrl {
  const credential = repoCredentialOf(input);
  if (!credential) return { repoUrl: input, encryptedRepoCredential: null };
  if (credential.secret !== REPO_CREDENTIAL_MASK) return { repoUrl: maskRepoUrl(input), encryptedRepoCredential: encryptSecret(credential.secret) };
  const kept = existing ? currentCredential(existing) : null;
  if (!kept) throw new ValidationError(`repoUrl: ${REPO_CREDENTIAL_MASK} stands for a stored credential, and this app has none: type the credential itself`);
  return { repoUrl: input, encryptedRepoCredential: encryptSecret(kept) };
}

/** The URL the servers fetch from, credential and all: for the worker's commands only. */
export function realRepoUrl(stored: StoredRepoUrl): string {
  if (!stored.encryptedRepoCredential) return stored.repoUrl;
  return unmaskRepoUrl(stored.repoUrl, decryptSecret(stored.encryptedRepoCredential));
}

/** The credential of the real URL, for masking it in output (null: none). */
export function repoSecretOf(stored: StoredRepoUrl): string | null {
  return currentCredential(stored);
}

/**
 * Seals the credentials of URLs stored before they were encrypted (the migration could not: SQL has no
 * DECKHAND_SECRET). Run by the worker at start-up; each row is re-checked as it is updated, so two workers
 * starting together do no harm.
 */
export async function sealPlainRepoCredentials(client: Db | Tx): Promise<number> {
  const candidates = await client.app.findMany({ where: { encryptedRepoCredential: null, repoUrl: { contains: "@" } }, select: { id: true, repoUrl: true } });
  let sealed = 0;
  for (const app of candidates) {
    const credential = repoCredentialOf(app.repoUrl);
    if (!credential || credential.secret === REPO_CREDENTIAL_MASK) continue;
    const done = await client.app.updateMany({
      where: { id: app.id, repoUrl: app.repoUrl, encryptedRepoCredential: null },
      data: { repoUrl: maskRepoUrl(app.repoUrl), encryptedRepoCredential: encryptSecret(credential.secret) },
    });
    sealed += done.count;
  }
  if (sealed > 0) log.info({ apps: sealed }, "encrypted the credentials of repository URLs stored in plain text");
  return sealed;
}
