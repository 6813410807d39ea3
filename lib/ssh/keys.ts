import { createHash } from "node:crypto";
import ssh2, { type ParsedKey } from "ssh2";

// ssh2 is CommonJS; Node's ESM loader (tsx, scripts) cannot see its named exports, only the default.
const { utils } = ssh2;

export interface GeneratedKeyPair {
  /** OpenSSH format ("-----BEGIN OPENSSH PRIVATE KEY-----"), unencrypted: encrypt it before storing. */
  privateKey: string;
  /** One authorized_keys line: "ssh-ed25519 AAAA… comment". */
  publicKey: string;
  /** OpenSSH style "SHA256:…" of the public key. */
  fingerprint: string;
}

export interface ParsedPrivateKey {
  publicKey: string;
  fingerprint: string;
  /** The SSH key type: "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"… */
  type: string;
}

/** What `ssh-keygen -l -E sha256` prints: base64 of the SHA-256 of the wire-format key blob, unpadded. */
export function fingerprintOfKeyBlob(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Exactly "SHA256:" + 43 base64 characters that decode to a 32-byte digest (no padding, no hex, no MD5). */
export function isFingerprint(s: string): boolean {
  const match = /^SHA256:([A-Za-z0-9+/]{43})$/.exec(s);
  if (!match) return false;
  const digest = Buffer.from(match[1]!, "base64");
  // The round trip rejects a last character whose spare bits are set: no SHA-256 prints that way.
  return digest.length === 32 && digest.toString("base64").replace(/=+$/, "") === match[1];
}

/** The key type named inside a wire-format key blob (its first length-prefixed string). */
export function keyTypeOfKeyBlob(blob: Buffer): string {
  if (blob.length < 4) throw new Error("malformed SSH public key blob");
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) throw new Error("malformed SSH public key blob");
  return blob.subarray(4, 4 + length).toString("latin1");
}

/** An authorized_keys entry is one line: a comment must not be able to start a second one. */
function singleLineComment(comment: string): string {
  return comment.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

function authorizedKeysLine(type: string, blob: Buffer, comment: string): string {
  const clean = singleLineComment(comment);
  return clean ? `${type} ${blob.toString("base64")} ${clean}` : `${type} ${blob.toString("base64")}`;
}

/** A fresh ed25519 key pair for a server, in the formats OpenSSH reads. */
export function generateEd25519KeyPair(comment = "deckhand"): GeneratedKeyPair {
  const pair = utils.generateKeyPairSync("ed25519", { comment: singleLineComment(comment) });
  const parsed = parsePrivateKey(pair.private);
  return { privateKey: pair.private, publicKey: parsed.publicKey, fingerprint: parsed.fingerprint };
}

/**
 * Validates a pasted private key and derives what the UI shows next to it. Throws an Error whose
 * message can be shown to the person who pasted it.
 */
export function parsePrivateKey(text: string): ParsedPrivateKey {
  // Keys pasted from Windows or from a web form arrive with CRLF and stray surrounding blank lines.
  const normalized = text.replace(/\r\n?/g, "\n").trim();
  if (!normalized) throw new Error("the private key is empty");
  if (/^(ssh-|ecdsa-|sk-)\S+ [A-Za-z0-9+/=]+/.test(normalized)) {
    throw new Error("this is a public key (an authorized_keys line); paste the private key instead");
  }
  const result = utils.parseKey(`${normalized}\n`) as ParsedKey | ParsedKey[] | Error;
  if (result instanceof Error) {
    if (/passphrase/i.test(result.message)) {
      throw new Error(
        "the private key is encrypted with a passphrase; Deckhand needs an unencrypted key (remove the passphrase with: ssh-keygen -p -N '' -f <keyfile>)",
      );
    }
    throw new Error(`not a private key Deckhand can read (${result.message}); paste an OpenSSH or PEM private key`);
  }
  const key = Array.isArray(result) ? result[0] : result;
  if (!key) throw new Error("the key file contains no key");
  if (!key.isPrivateKey()) throw new Error("this is a public key; paste the private key instead");
  const blob = key.getPublicSSH();
  return { publicKey: authorizedKeysLine(key.type, blob, key.comment), fingerprint: fingerprintOfKeyBlob(blob), type: key.type };
}
