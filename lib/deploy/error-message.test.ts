import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { errorMessage, StepError } from "./steps";

/** What a deploy's log and `error` say: Deckhand's own words as they are, internals as a plain sentence with a reference. */
describe("errorMessage", () => {
  it("keeps Deckhand's own messages", () => {
    expect(errorMessage(new StepError("build on web-1: exit 2", true))).toBe("build on web-1: exit 2");
    expect(errorMessage(new AppError(409, "conflict", "a deploy is running"))).toBe("a deploy is running");
  });

  it("turns a Prisma error, a programming error and a system error into a plain sentence, the same one each time for one error", () => {
    const prisma = Object.assign(new Error("\nInvalid `prisma.deploy.update()` invocation in\n/work/lib/deploy/runner.ts:70:3\n\nThe column `x` does not exist"), { clientVersion: "6.19.3", name: "PrismaClientKnownRequestError" });
    const system = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { syscall: "connect", code: "ECONNREFUSED" });
    for (const err of [prisma, new TypeError("Cannot read properties of undefined (reading 'id')"), system, "a thrown string"]) {
      const message = errorMessage(err);
      expect(message).toMatch(/^Something went wrong inside Deckhand \(reference [0-9a-f-]{36}\); the server log has the details$/);
      if (typeof err === "object") expect(errorMessage(err)).toBe(message);
    }
  });
});
