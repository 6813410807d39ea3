import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { decryptSecret } from "../crypto/secretbox";
import { checkSecondFactor, confirmEnrolment, removeTwoFactor, sessionStage, startEnrolment, twoFactorRequired, writeTwoFactorPolicy } from "./two-factor";
import { totpCode } from "./totp";

const now = () => Math.floor(Date.now() / 1000);

describe("two-factor sign-in (real Postgres)", () => {
  it("enrols with a confirmed code, keeps the secret encrypted, accepts each code and recovery code once", async () => {
    const user = await db().user.create({ data: { email: "totp@example.test", passwordHash: "x" } });
    const enrolment = await startEnrolment(db(), user.id);
    await expect(confirmEnrolment(db(), user.id, "000000")).rejects.toThrow(/not right/);
    // Confirm with the code of the previous step, so the current one is still new for the sign-in below.
    const recovery = await confirmEnrolment(db(), user.id, await totpCode(enrolment.secret, now() - 30));
    expect(recovery).toHaveLength(10);

    const row = await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { totpSecretEncrypted: true, totpPendingSecretEncrypted: true } });
    expect(row.totpSecretEncrypted).not.toContain(enrolment.secret);
    expect(decryptSecret(row.totpSecretEncrypted!)).toBe(enrolment.secret);
    expect(row.totpPendingSecretEncrypted).toBeNull();
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).not.toHaveProperty("totpSecretEncrypted");
    const hashes = await db().recoveryCode.findMany({ where: { userId: user.id } });
    expect(hashes.map((h) => h.codeHash).some((h) => recovery.some((c) => h.includes(c.replace("-", ""))))).toBe(false);

    const code = await totpCode(enrolment.secret, now());
    const [first, second] = await Promise.all([checkSecondFactor(db(), user.id, code), checkSecondFactor(db(), user.id, code)]);
    expect([first, second].filter((r) => r.ok)).toHaveLength(1);
    expect([first, second].find((r) => !r.ok)).toEqual({ ok: false, reason: "replayed_code" });
    expect(await checkSecondFactor(db(), user.id, code)).toEqual({ ok: false, reason: "replayed_code" });
    expect(await checkSecondFactor(db(), user.id, "123456")).toMatchObject({ ok: false });

    expect(await checkSecondFactor(db(), user.id, recovery[3]!.toUpperCase())).toEqual({ ok: true, method: "recovery_code", recoveryCodesLeft: 9 });
    expect(await checkSecondFactor(db(), user.id, recovery[3]!)).toEqual({ ok: false, reason: "wrong_code" });
    expect(await checkSecondFactor(db(), user.id, "aaaaa-bbbbb")).toEqual({ ok: false, reason: "wrong_code" });

    expect(await removeTwoFactor(db(), user.id)).toBe(true);
    expect(await db().recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await checkSecondFactor(db(), user.id, recovery[4]!)).toEqual({ ok: false, reason: "not_enrolled" });
  });

  it("requires it by role as the admin setting says, and a session owes a code until it gives one", async () => {
    expect(twoFactorRequired("off", "admin")).toBe(false);
    expect(twoFactorRequired("admins", "admin")).toBe(true);
    expect(twoFactorRequired("admins", "deployer")).toBe(false);
    expect(twoFactorRequired("everyone", "viewer")).toBe(true);
    const session = (role: "viewer" | "admin", twoFactorEnabled: boolean, secondFactorAt: Date | null = null) => ({ secondFactorAt, user: { role, twoFactorEnabled } });
    await writeTwoFactorPolicy(db(), "admins");
    expect(await sessionStage(db(), session("admin", false))).toBe("enrol");
    expect(await sessionStage(db(), session("viewer", false))).toBe("active");
    expect(await sessionStage(db(), session("viewer", true))).toBe("second_factor");
    expect(await sessionStage(db(), session("viewer", true, new Date()))).toBe("active");
    await writeTwoFactorPolicy(db(), "off");
    expect(await sessionStage(db(), session("admin", false))).toBe("active");
  });
});
