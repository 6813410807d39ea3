/**
 * Credentials in a repository URL (`https://user:token@host/…`, or a token as the user of an http(s) URL):
 * what is stored and shown is the URL with the credential replaced by REPO_CREDENTIAL_MASK; the credential
 * itself is stored encrypted beside it and put back only for the commands run on the servers.
 */
export const REPO_CREDENTIAL_MASK = "***";

interface UrlParts {
  scheme: string;
  userinfo: string;
  hostAndRest: string;
}

/** scheme://userinfo@host…, the userinfo ending at the last @ of the authority; null without userinfo. */
function split(url: string): UrlParts | null {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0];
  if (!scheme) return null;
  const rest = url.slice(scheme.length);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf("@");
  if (at === -1) return null;
  return { scheme, userinfo: authority.slice(0, at), hostAndRest: rest.slice(at + 1) };
}

export interface RepoCredential {
  /** The user before the colon (kept visible), or null when the whole userinfo is the credential. */
  user: string | null;
  secret: string;
}

/** The URL's credential: the password, or for http(s) a user with no password (a token used as the user name). */
export function repoCredentialOf(url: string): RepoCredential | null {
  const parts = split(url);
  if (!parts) return null;
  const colon = parts.userinfo.indexOf(":");
  if (colon !== -1) {
    const secret = parts.userinfo.slice(colon + 1);
    return secret ? { user: parts.userinfo.slice(0, colon), secret } : null;
  }
  if (/^https?:\/\//i.test(parts.scheme) && parts.userinfo) return { user: null, secret: parts.userinfo };
  return null;
}

function withSecret(url: string, secret: string): string {
  const parts = split(url);
  const credential = repoCredentialOf(url);
  if (!parts || !credential) return url;
  return `${parts.scheme}${credential.user !== null ? `${credential.user}:` : ""}${secret}@${parts.hostAndRest}`;
}

/** The URL as people see it: the credential masked (idempotent; a URL without one is unchanged). */
export function maskRepoUrl(url: string): string {
  return withSecret(url, REPO_CREDENTIAL_MASK);
}

/** The URL the servers use: the stored credential put back in place of the mask. */
export function unmaskRepoUrl(masked: string, secret: string): string {
  return repoCredentialOf(masked)?.secret === REPO_CREDENTIAL_MASK ? withSecret(masked, secret) : masked;
}

/** The forms a credential may take in command output: as written in the URL, and percent-decoded. */
export function repoCredentialForms(secret: string): string[] {
  let decoded = secret;
  try {
    decoded = decodeURIComponent(secret);
  } catch {
    // not valid percent-encoding: only the literal form
  }
  return decoded === secret ? [secret] : [secret, decoded];
}
