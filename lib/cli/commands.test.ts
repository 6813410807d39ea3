import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { ValidationError } from "../errors";
import { createTokenFromCli, createUserFromCli, revokeTokensByName } from "./commands";

/** The CLI's input goes through the same string check as the API: the real bin, and the commands it calls. */
const root = path.resolve(import.meta.dirname, "../..");
const actor = { kind: "system" as const, label: "cli (test)" };

function deckhand(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bin", "deckhand.mjs"), ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: "warn" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe("deckhand CLI input", () => {
  it("refuses a password with a NUL byte on standard input, with a clear message, and creates no user", async () => {
    const r = await deckhand(["user", "create", "--email", "nul-cli@example.test", "--role", "viewer"], "correct horse\u0000battery\n");
    expect(r.stderr).toContain("deckhand: password: must not contain a NUL byte");
    expect(r.code).toBe(2);
    expect(await db().user.count({ where: { email: "nul-cli@example.test" } })).toBe(0);
  });

  it("checks every argument of every command (an argument cannot carry NUL through exec; the commands refuse it when called)", async () => {
    await expect(createTokenFromCli({ name: "ci\u0000", role: "admin" }, actor)).rejects.toThrow(/^name: must not contain a NUL byte$/);
    await expect(createUserFromCli({ email: "x@example.test", role: "viewer", password: "p\ud800ssword-long" }, actor)).rejects.toThrow(/^password: must not contain an unpaired surrogate/);
    await expect(revokeTokensByName("ci\u0000", actor)).rejects.toBeInstanceOf(ValidationError);
    expect(await db().apiToken.count()).toBe(0);
  });
});
