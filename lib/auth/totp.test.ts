import { describe, expect, it } from "vitest";
import { generateSecret } from "otplib";
import { newEnrolment, newRecoveryCodes, normaliseRecoveryCode, recoveryCodeHash, TOTP, totpCode, verifyTotp } from "./totp";

/** RFC 6238 Appendix B: the keys are the ASCII bytes below, 8 digits, 30-second steps. */
const KEYS = {
  sha1: new TextEncoder().encode("12345678901234567890"),
  sha256: new TextEncoder().encode("12345678901234567890123456789012"),
  sha512: new TextEncoder().encode("1234567890123456789012345678901234567890123456789012345678901234"),
} as const;

const VECTORS: { time: number; sha1: string; sha256: string; sha512: string }[] = [
  { time: 59, sha1: "94287082", sha256: "46119246", sha512: "90693936" },
  { time: 1111111109, sha1: "07081804", sha256: "68084774", sha512: "25091201" },
  { time: 1111111111, sha1: "14050471", sha256: "67062674", sha512: "99943326" },
  { time: 1234567890, sha1: "89005924", sha256: "91819424", sha512: "93441116" },
  { time: 2000000000, sha1: "69279037", sha256: "90698825", sha512: "38618901" },
  { time: 20000000000, sha1: "65353130", sha256: "77737706", sha512: "47863826" },
];

describe("TOTP (RFC 6238)", () => {
  for (const v of VECTORS) {
    for (const algorithm of ["sha1", "sha256", "sha512"] as const) {
      it(`T=${v.time} ${algorithm}: ${v[algorithm]} is generated and accepted by verifyTotp, at its own step`, async () => {
        const secret = KEYS[algorithm];
        expect(await totpCode(secret, v.time, { algorithm, digits: 8 })).toBe(v[algorithm]);
        const step = await verifyTotp({ secret, code: v[algorithm], epochSeconds: v.time, algorithm, digits: 8 });
        expect(step).toBe(Math.floor(v.time / 30));
      });
    }
  }

  it("accepts one step either side and nothing further, and refuses a step already used (replay)", async () => {
    const secret = KEYS.sha1;
    const t = 1111111111;
    const code = await totpCode(secret, t, { digits: 8 });
    const at = (epochSeconds: number) => verifyTotp({ secret, code, epochSeconds, digits: 8 });
    expect(await at(t + 30)).toBe(Math.floor(t / 30));
    expect(await at(t - 30)).toBe(Math.floor(t / 30));
    expect(await at(t + 90)).toBeNull();
    expect(await verifyTotp({ secret, code, epochSeconds: t, digits: 8, afterTimeStep: Math.floor(t / 30) })).toBeNull();
    expect(await verifyTotp({ secret, code, epochSeconds: t, digits: 8, afterTimeStep: Math.floor(t / 30) - 1 })).toBe(Math.floor(t / 30));
  });

  it("refuses malformed codes without throwing", async () => {
    const secret = generateSecret();
    for (const code of ["", "12345", "1234567", "abcdef", "12 34 5x", "９４２８７０"]) expect(await verifyTotp({ secret, code })).toBeNull();
  });

  it("uses what authenticator apps expect, and the enrolment URI and QR carry the secret", async () => {
    expect(TOTP).toEqual({ algorithm: "sha1", digits: 6, period: 30 });
    const e = await newEnrolment("ops@example.test");
    expect(e.uri).toBe(`otpauth://totp/Deckhand:ops%40example.test?secret=${e.secret}&issuer=Deckhand`);
    expect(e.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const now = Math.floor(Date.now() / 1000);
    expect(await verifyTotp({ secret: e.secret, code: await totpCode(e.secret, now), epochSeconds: now })).toBe(Math.floor(now / 30));
  });
});

describe("recovery codes", () => {
  it("are ten distinct codes, hashed per user, read back whatever the case and dashes", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const c = codes[0]!;
    expect(recoveryCodeHash("u1", c)).toBe(recoveryCodeHash("u1", ` ${c.toUpperCase().replace("-", " ")} `));
    expect(recoveryCodeHash("u1", c)).not.toBe(recoveryCodeHash("u2", c));
    expect(normaliseRecoveryCode("AbC-dE f")).toBe("abcdef");
  });
});
