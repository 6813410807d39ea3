import { createHash, createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
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

/** An SSH wire-format string: uint32 length, then the bytes. */
function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** PKCS#8 DER prefix of an ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * The ed25519 key pair for a 32-byte seed, written in OpenSSH's own "openssh-key-v1" format.
 *
 * Written here rather than by ssh2's generateKeyPairSync: ssh2 1.17 drops leading zero bytes from the
 * key, so about one key in 256 comes out malformed (a 31-byte public key that neither ssh2 nor OpenSSH
 * reads). Node's crypto does the maths; this only lays out the bytes, at fixed lengths.
 */
export function ed25519KeyPairFromSeed(seed: Buffer, comment = "deckhand"): GeneratedKeyPair {
  if (seed.length !== 32) throw new Error("an ed25519 seed is 32 bytes");
  const privateKeyObject = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  const jwk = createPublicKey(privateKeyObject).export({ format: "jwk" });
  const publicKey = Buffer.from(jwk.x ?? "", "base64url");
  if (publicKey.length !== 32) throw new Error("ed25519 public key is not 32 bytes");
  const cleanComment = singleLineComment(comment);

  const publicBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(publicKey)]);
  // Two equal random words let a reader tell a wrong passphrase from a corrupt file; unencrypted, they only need to match.
  const check = randomBytes(4);
  const secret = Buffer.concat([check, check, sshString("ssh-ed25519"), sshString(publicKey), sshString(Buffer.concat([seed, publicKey])), sshString(cleanComment)]);
  // Padded with 1, 2, 3… to the cipher block size, which is 8 for "none".
  const padding = Buffer.from(Array.from({ length: (8 - (secret.length % 8)) % 8 }, (_, i) => i + 1));
  const body = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), sshString("none"), sshString("none"), sshString(""), Buffer.from([0, 0, 0, 1]), sshString(publicBlob), sshString(Buffer.concat([secret, padding]))]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  const privateKey = `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
  return { privateKey, publicKey: authorizedKeysLine("ssh-ed25519", publicBlob, cleanComment), fingerprint: fingerprintOfKeyBlob(publicBlob) };
}

/** A fresh ed25519 key pair for a server, in the formats OpenSSH reads. */
export function generateEd25519KeyPair(comment = "deckhand"): GeneratedKeyPair {
  return ed25519KeyPairFromSeed(randomBytes(32), comment);
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
      throw new Error("the private key is encrypted with a passphrase; Deckhand needs an unencrypted key (remove the passphrase with: ssh-keygen -p -N '' -f <keyfile>)");
    }
    throw new Error(`not a private key Deckhand can read (${result.message}); paste an OpenSSH or PEM private key`);
  }
  const key = Array.isArray(result) ? result[0] : result;
  if (!key) throw new Error("the key file contains no key");
  if (!key.isPrivateKey()) throw new Error("this is a public key; paste the private key instead");
  const blob = key.getPublicSSH();
  return { publicKey: authorizedKeysLine(key.type, blob, key.comment), fingerprint: fingerprintOfKeyBlob(blob), type: key.type };
}
