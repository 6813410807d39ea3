import { describe, expect, it } from "vitest";
import { MASK, MIN_SECRET_LENGTH, SecretMasker, maskableSecrets } from "./log-mask";

function streamed(masker: SecretMasker, chunks: string[]): { out: string; maxHeld: number } {
  const s = masker.stream();
  let out = "";
  let maxHeld = 0;
  for (const c of chunks) {
    out += s.push(c);
    maxHeld = Math.max(maxHeld, s.holding);
  }
  return { out: out + s.end(), maxHeld };
}

/** Every way to cut `text` into two and into three chunks (empty chunks included). */
function* splits(text: string): Generator<string[]> {
  for (let i = 0; i <= text.length; i++) {
    yield [text.slice(0, i), text.slice(i)];
    for (let j = i; j <= text.length; j++) yield [text.slice(0, i), text.slice(i, j), text.slice(j)];
  }
}

const CASES: { secrets: string[]; text: string }[] = [
  { secrets: ["hunter2secret"], text: "export PASS=hunter2secret; echo hunter2secret" },
  { secrets: ["tok-123456"], text: "tok-123456tok-123456" },
  { secrets: ["abcd", "abcdxyz"], text: "xxabcdxyzabcdabcdxy" },
  { secrets: ["abcd", "bcdefg"], text: "abcdefg bcdefg abcd" },
  { secrets: ["aaaa"], text: "aaaaaaaaaa" },
  { secrets: ["s3cr", "t0ken-value"], text: "t0ken-values3crs3c t0ken-valu" },
  { secrets: ["ünï😀code"], text: "a ünï😀code b ünï😀cod" },
  { secrets: ["line1\nline2"], text: "before line1\nline2 after" },
  { secrets: ["a.b*c+d"], text: "a.b*c+d axbxcxd" },
];

describe("SecretMasker", () => {
  it("masks every occurrence in a whole text, longest first", () => {
    const m = new SecretMasker(["abcd", "abcdxyz"]);
    expect(m.mask("abcdxyz abcd abc")).toBe(`${MASK} ${MASK} abc`);
    expect(new SecretMasker(["tok-123456"]).mask("x tok-123456 y")).toBe(`x ${MASK} y`);
  });

  it(`does not mask values shorter than ${MIN_SECRET_LENGTH} characters, nor empty ones`, () => {
    expect(maskableSecrets(["", "1", "on", "abc", "abcd"])).toEqual(["abcd"]);
    expect(new SecretMasker(["abc"]).mask("abc abc")).toBe("abc abc");
  });

  it("treats values as literal text, not patterns", () => {
    expect(new SecretMasker(["a.b*c+d"]).mask("a.b*c+d axbxcxd")).toBe(`${MASK} axbxcxd`);
    expect(new SecretMasker(["$(x)"]).mask("$(x)")).toBe(MASK);
  });

  for (const { secrets, text } of CASES) {
    it(`a stream split anywhere (2 and 3 chunks) masks as the whole text does: ${JSON.stringify(text)}`, () => {
      const m = new SecretMasker(secrets);
      const whole = m.mask(text);
      for (const s of secrets) expect(whole).not.toContain(s);
      for (const chunks of splits(text)) {
        const { out, maxHeld } = streamed(m, chunks);
        expect(out, JSON.stringify(chunks)).toBe(whole);
        expect(maxHeld).toBeLessThanOrEqual(m.longest); // at most longest − 1, plus one to keep a surrogate pair whole
      }
    });
  }

  it("a stream one character at a time masks as the whole text does", () => {
    for (const { secrets, text } of CASES) {
      const m = new SecretMasker(secrets);
      expect(streamed(m, [...text]).out).toBe(m.mask(text));
    }
  });

  it("random texts and secrets over a small alphabet, every split point", () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const word = (len: number) => Array.from({ length: len }, () => "ab"[rand(2)]).join("");
    for (let round = 0; round < 300; round++) {
      const secrets = Array.from({ length: 1 + rand(3) }, () => word(4 + rand(4)));
      const text = word(rand(30));
      const m = new SecretMasker(secrets);
      const whole = m.mask(text);
      for (let i = 0; i <= text.length; i++) expect(streamed(m, [text.slice(0, i), text.slice(i)]).out, `${secrets} | ${text} @${i}`).toBe(whole);
    }
  });

  it("holds nothing back and changes nothing without secrets", () => {
    const s = new SecretMasker([]).stream();
    expect(s.push("hello ")).toBe("hello ");
    expect(s.holding).toBe(0);
    expect(s.end()).toBe("");
  });

  it("holds back only what could still become a secret", () => {
    const s = new SecretMasker(["0123456789"]).stream();
    expect(s.push("some output of a build\n")).toBe("some output of a build\n");
    expect(s.holding).toBe(0);
    expect(s.push("done: 01234")).toBe("done: ");
    expect(s.holding).toBe(5);
    expect(s.push("56789 ok 0")).toBe(`${MASK} ok `);
    expect(s.holding).toBe(1);
    expect(s.end()).toBe("0");
  });

  it("holds a whole secret back while a longer one could still match there", () => {
    const s = new SecretMasker(["abcd", "abcdxyz"]).stream();
    expect(s.push("-abcd")).toBe("-");
    expect(s.push("xyz-abcd-")).toBe(`${MASK}-${MASK}-`);
    expect(s.end()).toBe("");
  });

  it("keeps up with a chatty build and a long secret", () => {
    const secret = "k".repeat(9_999) + "!";
    const m = new SecretMasker([secret, "token-abcdef"]);
    const s = m.stream();
    const chunk = `${"x".repeat(30_000)}k${"kkk".repeat(10)} token-abc`;
    const started = performance.now();
    let out = "";
    for (let i = 0; i < 40; i++) out += s.push(chunk + (i % 2 ? "def " : secret.slice(0, 5_000)) + (i % 2 ? "" : secret.slice(5_000)));
    out += s.end();
    expect(out).not.toContain("token-abcdef");
    expect(out).not.toContain(secret);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
