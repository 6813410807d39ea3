import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { connectSsh } from "./connect";
import type { SshSession } from "./session";
import { shellJoin, shellQuote } from "./quote";

describe("shellQuote", () => {
  it("wraps in single quotes and escapes single quotes as '\\''", () => {
    expect(shellQuote("abc")).toBe("'abc'");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("''")).toBe(`''\\'''\\'''`);
    expect(shellQuote("$(id)")).toBe("'$(id)'");
  });

  it("refuses a NUL, which a shell word cannot carry", () => {
    expect(() => shellQuote("a\0b")).toThrow(/NUL/);
  });

  it("shellJoin quotes each argument and joins with spaces", () => {
    expect(shellJoin(["git", "fetch", "--", "a b", "it's"])).toBe(`'git' 'fetch' '--' 'a b' 'it'\\''s'`);
    expect(shellJoin([])).toBe("");
  });
});

/** A marker file name per case, so a hit says which string got through. */
function hostileStrings(markerDir: string): string[] {
  const m = (name: string) => path.join(markerDir, name);
  return [
    `$(touch ${m("dollar-paren")})`,
    `\`touch ${m("backtick")}\``,
    `; touch ${m("semicolon")}`,
    `x; touch ${m("semicolon2")} #`,
    `| touch ${m("pipe")}`,
    `&& touch ${m("and")}`,
    `|| touch ${m("or")}`,
    `& touch ${m("background")} &`,
    `\ntouch ${m("newline")}\n`,
    `a\r\ntouch ${m("crlf")}`,
    `'; touch ${m("quote-break")}; '`,
    `'$(touch ${m("quote-dollar")})'`,
    `"; touch ${m("dquote")}; "`,
    `"$(touch ${m("dquote-dollar")})"`,
    `\\'; touch ${m("backslash-quote")}; '`,
    `> ${m("redirect")}`,
    `< /etc/passwd > ${m("redirect2")}`,
    `$((1+1)) \${HOME} $HOME \${IFS} $IFS $0 $$ $! $? $@ $*`,
    `\${x:=$(touch ${m("param-default")})}`,
    `<(touch ${m("procsub")})`,
    `{touch,${m("brace")}}`,
    "*",
    "~",
    "~root/..",
    "!!",
    "-n",
    "--",
    "-e \\x41",
    "--help",
    "../../../../etc/passwd",
    "..",
    "%s %d %n %%",
    "\\",
    "\\\\n",
    "'",
    "''",
    '"',
    "a'b\"c`d$e\\f",
    "tab\there",
    "  leading and trailing spaces  ",
    "",
    "ünïcödé — 日本語 — 🚀 — \u200b zero width — \u202e rtl",
    "control \u0001\u0002\u0007\u001b[31mred\u001b[0m \u007f",
    Array.from({ length: 255 }, (_, i) => String.fromCharCode(i + 1)).join(""),
  ];
}

describe("shellQuote injection regression (real /bin/sh)", () => {
  let markerDir: string;
  beforeAll(() => {
    markerDir = mkdtempSync(path.join(os.tmpdir(), "deckhand-quote-"));
  });
  afterAll(() => rmSync(markerDir, { recursive: true, force: true }));

  it("every hostile string comes back byte for byte and runs nothing", () => {
    for (const input of hostileStrings(markerDir)) {
      const result = spawnSync("/bin/sh", ["-c", `printf %s ${shellQuote(input)}`], { cwd: markerDir, encoding: "buffer" });
      expect(result.status, `sh failed for ${JSON.stringify(input)}: ${result.stderr}`).toBe(0);
      expect(result.stdout.equals(Buffer.from(input, "utf8")), `output differs for ${JSON.stringify(input)}`).toBe(true);
    }
    expect(readdirSync(markerDir)).toEqual([]);
  });

  it("shellJoin keeps argument boundaries exactly", () => {
    const args = hostileStrings(markerDir);
    // %s\0 per argument: NUL cannot occur inside an argument, so it marks boundaries unambiguously.
    const result = spawnSync("/bin/sh", ["-c", `printf '%s\\0' ${shellJoin(args)}`], { cwd: markerDir, encoding: "buffer" });
    expect(result.status).toBe(0);
    const parts = result.stdout.toString("utf8").split("\0").slice(0, -1);
    expect(parts).toEqual(args);
    expect(readdirSync(markerDir)).toEqual([]);
  });

  it("random strings over the shell's special characters round-trip (300 cases)", () => {
    const alphabet = ["'", '"', "`", "$", "(", ")", "{", "}", ";", "|", "&", "<", ">", "\\", "\n", " ", "\t", "*", "?", "[", "]", "~", "#", "!", "-", "a", "é", "🚀"];
    // A fixed seed keeps a failure reproducible.
    let seed = 0x5eed;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const inputs = Array.from({ length: 300 }, () => Array.from({ length: 1 + Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(""));
    const result = spawnSync("/bin/sh", ["-c", `printf '%s\\0' ${shellJoin(inputs)}`], { cwd: markerDir, encoding: "buffer" });
    expect(result.status).toBe(0);
    expect(result.stdout.toString("utf8").split("\0").slice(0, -1)).toEqual(inputs);
    expect(readdirSync(markerDir)).toEqual([]);
  });
});

describe("shellQuote injection regression (through the real sshd)", () => {
  let sshd: TestSshd;
  let session: SshSession;
  let markerDir: string;

  beforeAll(async () => {
    sshd = await startSshd();
    session = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
    markerDir = mkdtempSync(path.join(os.tmpdir(), "deckhand-quote-ssh-"));
  });
  afterAll(async () => {
    session?.close();
    await sshd?.stop();
    rmSync(markerDir, { recursive: true, force: true });
  });

  it("the remote login shell prints every hostile string unchanged and runs nothing", async () => {
    // One command for all strings: each printed between NULs, in the marker dir as working directory.
    const inputs = hostileStrings(markerDir);
    const result = await session.exec(`cd ${shellQuote(markerDir)} && printf '%s\\0' ${shellJoin(inputs)}`);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.split("\0").slice(0, -1)).toEqual(inputs);
    for (const input of inputs.slice(0, 12)) {
      const one = await session.exec(`printf %s ${shellQuote(input)}`);
      expect(one.stdout).toBe(input);
    }
    expect(readdirSync(markerDir)).toEqual([]);
  });
});
