import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { connectSsh } from "./connect";
import { ed25519KeyPairFromSeed, fingerprintOfKeyBlob, generateEd25519KeyPair, isFingerprint, keyTypeOfKeyBlob, parsePrivateKey } from "./keys";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-keys-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function keygen(args: string[]): string {
  return execFileSync("/usr/bin/ssh-keygen", args, { encoding: "utf8" });
}

function writeKey(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

describe("generateEd25519KeyPair", () => {
  it("produces the formats OpenSSH reads, with the fingerprint ssh-keygen computes", () => {
    const pair = generateEd25519KeyPair("deploy@web-1");
    expect(pair.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/);
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=* deploy@web-1$/);
    expect(isFingerprint(pair.fingerprint)).toBe(true);

    const file = writeKey("generated", pair.privateKey);
    // ssh-keygen derives the public key from our private key file: same key, so OpenSSH can parse it.
    expect(keygen(["-y", "-f", file]).trim().split(" ").slice(0, 2)).toEqual(pair.publicKey.split(" ").slice(0, 2));
    const pubFile = path.join(tmp, "generated.pub");
    writeFileSync(pubFile, `${pair.publicKey}\n`);
    expect(keygen(["-l", "-E", "sha256", "-f", pubFile])).toContain(pair.fingerprint);
  });

  it("makes a new key each time and keeps the comment on one line", () => {
    const a = generateEd25519KeyPair("x");
    const b = generateEd25519KeyPair("x");
    expect(a.fingerprint).not.toBe(b.fingerprint);
    const sneaky = generateEd25519KeyPair("a\nssh-ed25519 AAAAevil attacker");
    expect(sneaky.publicKey.split("\n")).toHaveLength(1);
  });
});

/** Seed 36 (big-endian in the last four bytes) gives a public key that starts with two zero bytes. */
function zeroLeadingSeed(): Buffer {
  const seed = Buffer.alloc(32);
  seed.writeUInt32BE(36, 28);
  return seed;
}

describe("ed25519KeyPairFromSeed", () => {
  it("writes a public key that starts with zero bytes at full length (ssh2's own generator drops them)", () => {
    const pair = ed25519KeyPairFromSeed(zeroLeadingSeed(), "zero");
    const blob = Buffer.from(pair.publicKey.split(" ")[1]!, "base64");
    expect(blob).toHaveLength(51);
    expect(blob.subarray(19, 21)).toEqual(Buffer.from([0, 0]));
    const file = writeKey("zero_leading", pair.privateKey);
    expect(keygen(["-y", "-f", file]).trim()).toBe(pair.publicKey);
    expect(parsePrivateKey(pair.privateKey)).toEqual({ publicKey: pair.publicKey, fingerprint: pair.fingerprint, type: "ssh-ed25519" });
  });

  it("is deterministic in the key material and rejects a seed of the wrong size", () => {
    expect(ed25519KeyPairFromSeed(zeroLeadingSeed()).fingerprint).toBe(ed25519KeyPairFromSeed(zeroLeadingSeed()).fingerprint);
    expect(() => ed25519KeyPairFromSeed(Buffer.alloc(31))).toThrow(/32 bytes/);
  });

  it("2000 generated keys all read back whole", () => {
    for (let i = 0; i < 2000; i++) {
      const pair = generateEd25519KeyPair(`k${i}`);
      expect(parsePrivateKey(pair.privateKey).fingerprint).toBe(pair.fingerprint);
    }
  });
});

describe("parsePrivateKey", () => {
  it("reads an ssh-keygen ed25519 key and matches ssh-keygen's fingerprint", () => {
    const file = path.join(tmp, "kg_ed25519");
    keygen(["-q", "-t", "ed25519", "-N", "", "-C", "me@laptop", "-f", file]);
    const parsed = parsePrivateKey(readFileSync(file, "utf8"));
    expect(parsed.type).toBe("ssh-ed25519");
    expect(parsed.publicKey).toBe(readFileSync(`${file}.pub`, "utf8").trim());
    expect(keygen(["-l", "-E", "sha256", "-f", `${file}.pub`])).toContain(parsed.fingerprint);
  });

  it("reads RSA (OpenSSH and PEM formats) and ECDSA keys", () => {
    const rsa = path.join(tmp, "kg_rsa");
    keygen(["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa]);
    expect(parsePrivateKey(readFileSync(rsa, "utf8")).type).toBe("ssh-rsa");
    const pem = path.join(tmp, "kg_rsa_pem");
    keygen(["-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", pem]);
    expect(readFileSync(pem, "utf8")).toContain("BEGIN RSA PRIVATE KEY");
    const parsedPem = parsePrivateKey(readFileSync(pem, "utf8"));
    expect(keygen(["-l", "-E", "sha256", "-f", `${pem}.pub`])).toContain(parsedPem.fingerprint);
    const ecdsa = path.join(tmp, "kg_ecdsa");
    keygen(["-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", ecdsa]);
    expect(parsePrivateKey(readFileSync(ecdsa, "utf8")).type).toBe("ecdsa-sha2-nistp256");
  });

  it("accepts a key pasted with CRLF line ends and surrounding blank lines", () => {
    const pair = generateEd25519KeyPair("paste");
    const pasted = `\r\n\r\n${pair.privateKey.replace(/\n/g, "\r\n")}\r\n  `;
    expect(parsePrivateKey(pasted).fingerprint).toBe(pair.fingerprint);
  });

  it("fails clearly for garbage, an empty paste, a public key and an encrypted key", () => {
    expect(() => parsePrivateKey("hello world")).toThrow(/not a private key Deckhand can read/);
    expect(() => parsePrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----")).toThrow(/not a private key/);
    expect(() => parsePrivateKey("   \n")).toThrow(/empty/);
    const pair = generateEd25519KeyPair();
    expect(() => parsePrivateKey(pair.publicKey)).toThrow(/public key/);

    const encrypted = path.join(tmp, "kg_encrypted");
    keygen(["-q", "-t", "ed25519", "-N", "correct horse", "-f", encrypted]);
    expect(() => parsePrivateKey(readFileSync(encrypted, "utf8"))).toThrow(/encrypted with a passphrase.*ssh-keygen -p/);
    const encryptedPem = path.join(tmp, "kg_encrypted_pem");
    keygen(["-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "correct horse", "-f", encryptedPem]);
    expect(() => parsePrivateKey(readFileSync(encryptedPem, "utf8"))).toThrow(/encrypted with a passphrase/);
  });
});

describe("fingerprints", () => {
  it("fingerprintOfKeyBlob is OpenSSH's SHA256 form without padding", () => {
    const file = path.join(tmp, "fp_host");
    keygen(["-q", "-t", "ed25519", "-N", "", "-f", file]);
    const blob = Buffer.from(readFileSync(`${file}.pub`, "utf8").split(" ")[1]!, "base64");
    const fingerprint = fingerprintOfKeyBlob(blob);
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(keygen(["-l", "-E", "sha256", "-f", `${file}.pub`]).split(" ")[1]).toBe(fingerprint);
    expect(keyTypeOfKeyBlob(blob)).toBe("ssh-ed25519");
    expect(() => keyTypeOfKeyBlob(Buffer.from([0, 0]))).toThrow(/malformed/);
  });

  it("isFingerprint accepts exactly SHA256: + 43 base64 characters of a real digest", () => {
    const good = generateEd25519KeyPair().fingerprint;
    expect(isFingerprint(good)).toBe(true);
    expect(isFingerprint(`${good}=`)).toBe(false);
    expect(isFingerprint(good.replace("SHA256:", "sha256:"))).toBe(false);
    expect(isFingerprint(good.slice(0, -1))).toBe(false);
    expect(isFingerprint(` ${good}`)).toBe(false);
    expect(isFingerprint("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48")).toBe(false);
    expect(isFingerprint(`SHA256:${"-".repeat(43)}`)).toBe(false);
    expect(isFingerprint("")).toBe(false);
    // 43 characters carry 258 bits; a digest has 256, so the last character's two spare bits are zero.
    expect(isFingerprint(`SHA256:${"A".repeat(42)}B`)).toBe(false);
    expect(isFingerprint(`SHA256:${"A".repeat(42)}E`)).toBe(true);
  });
});

describe("generated keys against the real sshd", () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => sshd?.stop());

  it("a generated key authenticates with both ssh2 and the OpenSSH client", async () => {
    // The harness authorizes a key made by generateEd25519KeyPair.
    const session = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
    try {
      expect((await session.exec("echo ok")).stdout).toBe("ok\n");
    } finally {
      session.close();
    }
    const ssh = spawnSync(
      "ssh",
      [
        "-i",
        sshd.privateKeyPath,
        "-p",
        String(sshd.port),
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        `${sshd.username}@127.0.0.1`,
        "echo via-openssh",
      ],
      { encoding: "utf8", timeout: 10_000 },
    );
    expect(ssh.stderr).toBe("");
    expect(ssh.stdout).toBe("via-openssh\n");
  });

  it("a key whose public half starts with zero bytes signs in (real sshd verifies the signature)", async () => {
    const pair = ed25519KeyPairFromSeed(zeroLeadingSeed(), "zero-leading");
    sshd.authorizeKey(pair.publicKey);
    const session = await connectSsh({ ...sshd.target(), privateKey: pair.privateKey }, { connectTimeoutMs: 5_000 });
    try {
      expect((await session.exec("echo signed-in")).stdout).toBe("signed-in\n");
    } finally {
      session.close();
    }
    await sshd.waitForLog(new RegExp(`Accepted publickey for .* ED25519 ${pair.fingerprint.replace(/[+/]/g, "\\$&")}`));
  });

  it("a key that is not authorized fails as an authentication error", async () => {
    const stranger = generateEd25519KeyPair("stranger");
    await expect(connectSsh({ ...sshd.target(), privateKey: stranger.privateKey }, { connectTimeoutMs: 5_000 })).rejects.toThrow(/authentication failed for .*@127\.0\.0\.1:\d+/);
  });
});
