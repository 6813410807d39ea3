import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signIn } from "../helpers/http";
import { appDb, makeUser } from "../helpers/app-db";
import { createApiToken } from "../../lib/auth/tokens";
import { verifyAuditChain } from "../../lib/audit/verify";
import { generateEd25519KeyPair } from "../../lib/ssh";

/**
 * Managing servers, users and tokens over /api/v1 against the running app: every new route answers its
 * success, 400 for bad input, 403 for a lower role, 404 for an unknown id and 409 where one can happen; each
 * change is one audit event, and a deleted user's history stays attributed with the hash chain intact.
 */
const mark = randomBytes(4).toString("hex");
let admin = "";
let deployer = "";
let adminTokenId = "";

beforeAll(async () => {
  const a = await createApiToken(appDb(), { name: `manage-admin-${mark}`, role: "admin" });
  admin = a.token;
  adminTokenId = a.id;
  deployer = (await createApiToken(appDb(), { name: `manage-deployer-${mark}`, role: "deployer" })).token;
});
afterAll(async () => {
  await appDb().$disconnect();
});

const send = (method: string, path: string, body?: unknown, token = admin) => api(path, token, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

async function lastEvent(action: string, targetId: string) {
  return appDb().auditEvent.findFirst({ where: { action, targetId }, orderBy: { id: "desc" } });
}

type ServerJson = {
  id: string;
  name: string;
  host: string;
  port: number;
  username: string;
  hostKeyFingerprint: string | null;
  hostKeyStatus: string;
  publicKey?: string;
  keyRotated: boolean;
  pinCleared: boolean;
  sshKey: { publicKey: string; fingerprint: string };
};

async function addServer(name: string, fingerprint = `SHA256:${"B".repeat(43)}`): Promise<ServerJson> {
  return json<ServerJson>(await send("POST", "/api/v1/servers", { name, host: "127.0.0.1", port: 2222, username: "deploy", generateKey: true, hostKeyFingerprint: fingerprint }), 201);
}

describe("PATCH /api/v1/servers/{serverId}", () => {
  it("renames, rotates the key (generated, then pasted) with the new public key in the answer, and clears the pin when the host moves", async () => {
    const server = await addServer(`edit-${mark}`);
    expect(server.hostKeyStatus).toBe("pinned");

    const renamed = await json<ServerJson>(await send("PATCH", `/api/v1/servers/${server.id}`, { name: `edited-${mark}`, username: "ops" }), 200);
    expect(renamed).toMatchObject({ name: `edited-${mark}`, username: "ops", host: "127.0.0.1", port: 2222, hostKeyStatus: "pinned", keyRotated: false, pinCleared: false });
    expect(renamed.publicKey).toBeUndefined();
    expect(renamed.sshKey.fingerprint).toBe(server.sshKey.fingerprint);

    const generated = await json<ServerJson>(await send("PATCH", `/api/v1/servers/${server.id}`, { generateKey: true }), 200);
    expect(generated.keyRotated).toBe(true);
    expect(generated.publicKey).toMatch(/^ssh-ed25519 \S+ deckhand@edited-/);
    expect(generated.sshKey.publicKey).toBe(generated.publicKey);
    expect(generated.sshKey.fingerprint).not.toBe(server.sshKey.fingerprint);
    expect(generated.hostKeyStatus).toBe("pinned");
    // The old key is forgotten once no server uses it.
    expect(await appDb().sshKey.count({ where: { fingerprint: server.sshKey.fingerprint } })).toBe(0);

    const pair = generateEd25519KeyPair("pasted@test");
    const pasted = await json<ServerJson>(await send("PATCH", `/api/v1/servers/${server.id}`, { privateKey: pair.privateKey }), 200);
    expect(pasted).toMatchObject({ keyRotated: true, publicKey: pair.publicKey, sshKey: { fingerprint: pair.fingerprint } });
    const text = JSON.stringify(pasted);
    expect(text).not.toContain("PRIVATE KEY");

    const moved = await json<ServerJson>(await send("PATCH", `/api/v1/servers/${server.id}`, { port: 2200 }), 200);
    expect(moved).toMatchObject({ port: 2200, hostKeyFingerprint: null, hostKeyStatus: "unpinned", pinCleared: true });

    const event = await lastEvent("server.update", server.id);
    expect(event).toMatchObject({ outcome: "success", actorLabel: `token manage-admin-${mark}` });
    expect(event!.summary).toMatchObject({ pinCleared: true, keyRotated: false, before: { port: 2222 }, after: { port: 2200, hostKeyPinned: null } });
    expect(JSON.stringify(await appDb().auditEvent.findMany({ where: { targetId: server.id }, select: { summary: true } }))).not.toContain("PRIVATE KEY");
  });

  it("400 for bad input (naming the field), 403 for a deployer, 404 for an unknown server, 409 for a taken name", async () => {
    const server = await addServer(`bad-${mark}`);
    const other = await addServer(`taken-${mark}`);
    const bad = await json<{ error: { code: string; message: string } }>(await send("PATCH", `/api/v1/servers/${server.id}`, { port: 70000 }), 400);
    expect(bad.error).toMatchObject({ code: "invalid_input", message: expect.stringMatching(/^port: /) });
    expect((await json<{ error: { message: string } }>(await send("PATCH", `/api/v1/servers/${server.id}`, { host: "bad host; rm -rf /" }), 400)).error.message).toMatch(/^host: /);
    expect((await json<{ error: { message: string } }>(await send("PATCH", `/api/v1/servers/${server.id}`, { privateKey: "not a key" }), 400)).error.message).toMatch(/^privateKey: /);
    expect((await json<{ error: { message: string } }>(await send("PATCH", `/api/v1/servers/${server.id}`, { privateKey: generateEd25519KeyPair().privateKey, generateKey: true }), 400)).error.message).toMatch(/not both/);

    const denied = await json<{ error: { code: string; message: string } }>(await send("PATCH", `/api/v1/servers/${server.id}`, { name: "nope" }, deployer), 403);
    expect(denied.error).toMatchObject({ code: "forbidden", message: expect.stringContaining("admin") });
    expect((await appDb().server.findUniqueOrThrow({ where: { id: server.id } })).name).toBe(`bad-${mark}`);

    expect((await json<{ error: { code: string } }>(await send("PATCH", "/api/v1/servers/no-such-server", { name: "x" }), 404)).error.code).toBe("not_found");
    const taken = await json<{ error: { code: string; message: string } }>(await send("PATCH", `/api/v1/servers/${server.id}`, { name: other.name }), 409);
    expect(taken.error.message).toContain(other.name);
  });
});

describe("DELETE /api/v1/servers/{serverId}", () => {
  it("409 names every app that targets it; 204 once none does; then 404", async () => {
    const server = await addServer(`del-${mark}`);
    for (const name of [`shop-${mark}`, `blog-${mark}`]) {
      await appDb().app.create({ data: { name, repoUrl: "/srv/x.git", deployPath: `/srv/${name}`, targets: { create: { serverId: server.id, position: 0 } } } });
    }
    const refused = await json<{ error: { code: string; message: string } }>(await send("DELETE", `/api/v1/servers/${server.id}`), 409);
    expect(refused.error.code).toBe("conflict");
    expect(refused.error.message).toContain(`shop-${mark}`);
    expect(refused.error.message).toContain(`blog-${mark}`);
    expect(await lastEvent("server.delete", server.id)).toMatchObject({ outcome: "failure", targetName: `del-${mark}`, summary: { error: refused.error.message } });

    expect((await send("DELETE", `/api/v1/servers/${server.id}`, undefined, deployer)).status).toBe(403);

    await appDb().app.deleteMany({ where: { name: { in: [`shop-${mark}`, `blog-${mark}`] } } });
    const res = await send("DELETE", `/api/v1/servers/${server.id}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(await appDb().server.findUnique({ where: { id: server.id } })).toBeNull();
    expect(await lastEvent("server.delete", server.id)).toMatchObject({ outcome: "success", targetName: `del-${mark}` });
    expect((await send("DELETE", `/api/v1/servers/${server.id}`)).status).toBe(404);
  });
});

describe("/api/v1/users", () => {
  type UserJson = { id: string; email: string; name: string | null; role: string; disabled: boolean; createdAt: string; twoFactor: boolean; lockedUntil: string | null };

  it("GET lists users with ISO times and no password hash; POST adds one (400, 403, 409)", async () => {
    const email = `new-${mark}@example.test`;
    const created = await json<{ id: string; email: string }>(await send("POST", "/api/v1/users", { email, password: "long enough password", role: "deployer" }), 201);
    expect(created.email).toBe(email);
    const listRes = await send("GET", "/api/v1/users");
    const text = await listRes.text();
    expect(listRes.status).toBe(200);
    expect(text).not.toMatch(/passwordHash|\$argon|\$scrypt|totp/i);
    const users = JSON.parse(text) as UserJson[];
    expect(users.find((u) => u.id === created.id)).toEqual({ id: created.id, email, name: null, role: "deployer", disabled: false, createdAt: expect.stringMatching(/Z$/), twoFactor: false, lockedUntil: null });

    expect((await json<{ error: { message: string } }>(await send("POST", "/api/v1/users", { email: "not-an-email", password: "long enough password" }), 400)).error.message).toMatch(/^email: /);
    expect((await json<{ error: { message: string } }>(await send("POST", "/api/v1/users", { email: `x-${mark}@example.test`, password: "short" }), 400)).error.message).toMatch(/^password: /);
    expect((await send("POST", "/api/v1/users", { email: `y-${mark}@example.test`, password: "long enough password" }, deployer)).status).toBe(403);
    expect((await send("GET", "/api/v1/users", undefined, deployer)).status).toBe(403);
    expect((await send("POST", "/api/v1/users", { email, password: "long enough password" })).status).toBe(409);
  });

  it("PATCH changes name, role, access and password (400, 403, 404, 409 for the last admin)", async () => {
    const u = await makeUser("viewer");
    const after = await json<{ id: string; name: string | null; role: string; disabled: boolean }>(await send("PATCH", `/api/v1/users/${u.id}`, { name: "Vera", role: "deployer", disabled: true, password: "another long password" }), 200);
    expect(after).toMatchObject({ id: u.id, name: "Vera", role: "deployer", disabled: true });
    const event = await lastEvent("user.update", u.id);
    expect(event!.summary).toMatchObject({ before: { role: "viewer", disabled: false, name: null }, after: { role: "deployer", disabled: true, name: "Vera" }, passwordChanged: true });
    expect(JSON.stringify(event!.summary)).not.toContain("another long password");

    expect((await json<{ error: { message: string } }>(await send("PATCH", `/api/v1/users/${u.id}`, { role: "owner" }), 400)).error.message).toMatch(/^role: /);
    expect((await send("PATCH", `/api/v1/users/${u.id}`, { role: "admin" }, deployer)).status).toBe(403);
    expect((await appDb().user.findUniqueOrThrow({ where: { id: u.id } })).role).toBe("deployer");
    expect((await send("PATCH", "/api/v1/users/no-such-user", { name: "x" })).status).toBe(404);
  });

  it("DELETE removes a user, keeps their audit history attributed and the chain verifying; refuses yourself (400)", async () => {
    const u = await makeUser("deployer");
    // Something they did, recorded as they did it: signed in, they try to add a server (refused, and audited).
    const signedIn = await signIn(u.email, u.password);
    expect(signedIn.ok, signedIn.error ?? "").toBe(true);
    const attempt = await signedIn.session.fetch("/api/v1/servers", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: `theirs-${mark}`, host: "127.0.0.1", port: 22, username: "deploy", generateKey: true }),
    });
    expect(attempt.status).toBe(403);
    const theirToken = await createApiToken(appDb(), { name: `theirs-${mark}`, role: "deployer", createdById: u.id });
    const before = await appDb().auditEvent.findMany({ where: { OR: [{ actorId: u.id }, { targetId: u.id }] }, orderBy: { id: "asc" } });
    expect(before.map((e) => [e.action, e.outcome, e.actorLabel])).toContainEqual(["server.create", "denied", u.email]);

    expect((await send("DELETE", `/api/v1/users/${u.id}`, undefined, deployer)).status).toBe(403);
    const res = await send("DELETE", `/api/v1/users/${u.id}`);
    expect(res.status, await res.clone().text()).toBe(204);
    expect(await appDb().user.findUnique({ where: { id: u.id } })).toBeNull();
    // The tokens they made are revoked and refused.
    expect((await appDb().apiToken.findUniqueOrThrow({ where: { id: theirToken.id } })).revokedAt).not.toBeNull();
    expect((await api("/api/v1/servers", theirToken.token)).status).toBe(401);

    const deleted = await lastEvent("user.delete", u.id);
    expect(deleted).toMatchObject({ outcome: "success", targetName: u.email });
    const still = await appDb().auditEvent.findMany({ where: { id: { in: before.map((e) => e.id) } }, orderBy: { id: "asc" } });
    expect(still).toEqual(before);
    const history = await json<{ events: { actor: string; actorId: string | null; details: unknown }[] }>(await send("GET", `/api/v1/audit?target=user:${u.id}`), 200);
    expect(history.events.map((e) => e.actor)).toContain(`token manage-admin-${mark}`);
    expect(history.events[0]!.details).toMatchObject({ role: "deployer", revokedApiCredentials: 1 });
    const theirs = await json<{ events: { actor: string; actorId: string | null; action: string }[] }>(await send("GET", `/api/v1/audit?actor=${encodeURIComponent(u.email)}`), 200);
    expect(theirs.events).toContainEqual(expect.objectContaining({ actor: u.email, actorId: u.id, action: "server.create" }));
    // Their session died with them.
    expect((await signedIn.session.fetch("/api/v1/servers")).status).toBe(401);
    expect(await verifyAuditChain({ client: appDb() })).toMatchObject({ ok: true });

    expect((await send("DELETE", `/api/v1/users/${u.id}`)).status).toBe(404);

    // Nobody deletes themself (a session of their own, not a token); the last-admin rule (409) is proved in
    // lib/actions/admins.test.ts, on a database of its own, since here other files' admins share the database.
    const self = await makeUser("admin");
    const selfSession = await signIn(self.email, self.password);
    const selfDelete = await selfSession.session.fetch(`/api/v1/users/${self.id}`, { method: "DELETE" });
    expect(selfDelete.status).toBe(400);
    expect(((await selfDelete.json()) as { error: { message: string } }).error.message).toMatch(/own account/);
    expect(await lastEvent("user.delete", self.id)).toMatchObject({ outcome: "failure", actorId: self.id, targetName: self.email });
  });
});

describe("/api/v1/tokens", () => {
  type TokenJson = { id: string; name: string; role: string; prefix: string; createdAt: string; expiresAt: string | null; revokedAt: string | null; createdBy: string | null; token?: string };

  it("POST shows the secret once; GET lists by prefix without it; DELETE revokes (204) and the token is refused", async () => {
    const created = await json<TokenJson & { token: string }>(await send("POST", "/api/v1/tokens", { name: `ci-${mark}`, role: "deployer", expiresInDays: 30 }), 201);
    expect(created.token).toMatch(/^dh_/);
    expect(created.prefix).toBe(created.token.slice(0, 10));
    expect((await api("/api/v1/servers", created.token)).status).toBe(200);

    const listRes = await send("GET", "/api/v1/tokens");
    const text = await listRes.text();
    expect(listRes.status).toBe(200);
    expect(text).not.toContain(created.token);
    expect(text).not.toContain("tokenHash");
    const row = (JSON.parse(text) as TokenJson[]).find((t) => t.id === created.id);
    expect(row).toMatchObject({ name: `ci-${mark}`, role: "deployer", prefix: created.prefix, revokedAt: null, createdBy: null, expiresAt: expect.stringMatching(/Z$/) });
    expect(row!.token).toBeUndefined();

    const res = await send("DELETE", `/api/v1/tokens/${created.id}`);
    expect(res.status).toBe(204);
    expect((await api("/api/v1/servers", created.token)).status).toBe(401);
    expect(await lastEvent("token.revoke", created.id)).toMatchObject({ outcome: "success" });
    const revoked = (await json<TokenJson[]>(await send("GET", "/api/v1/tokens"), 200)).find((t) => t.id === created.id);
    expect(revoked!.revokedAt).toMatch(/Z$/);
  });

  it("400, 403 and 404", async () => {
    expect((await json<{ error: { message: string } }>(await send("POST", "/api/v1/tokens", { name: "", role: "deployer" }), 400)).error.message).toMatch(/^name: /);
    expect((await json<{ error: { message: string } }>(await send("POST", "/api/v1/tokens", { name: "x", role: "root" }), 400)).error.message).toMatch(/^role: /);
    expect((await json<{ error: { message: string } }>(await send("POST", "/api/v1/tokens", { name: "x", role: "viewer", expiresInDays: 0 }), 400)).error.message).toMatch(/^expiresInDays: /);
    expect((await send("POST", "/api/v1/tokens", { name: `nope-${mark}`, role: "viewer" }, deployer)).status).toBe(403);
    expect((await send("GET", "/api/v1/tokens", undefined, deployer)).status).toBe(403);
    expect((await send("DELETE", `/api/v1/tokens/${adminTokenId}`, undefined, deployer)).status).toBe(403);
    expect((await send("DELETE", "/api/v1/tokens/no-such-token")).status).toBe(404);
  });
});

describe("list responses and the audit search", () => {
  it("GET /api/v1/servers and /api/v1/apps carry no database-library internals", async () => {
    const server = await addServer(`list-${mark}`);
    await appDb().app.create({ data: { name: `listed-${mark}`, repoUrl: "/srv/x.git", deployPath: `/srv/listed-${mark}`, targets: { create: { serverId: server.id, position: 0 } } } });
    for (const path of ["/api/v1/servers", "/api/v1/apps"]) {
      const text = await (await send("GET", path)).text();
      expect(text, path).not.toMatch(/"_count"|"_sum"|"_avg"|"_min"|"_max"|encryptedPrivateKey|tokenHash/);
    }
    await appDb().app.deleteMany({ where: { name: `listed-${mark}` } });
  });

  it("GET /api/v1/audit returns each event's details", async () => {
    const server = await addServer(`audit-${mark}`);
    const page = await json<{ events: { action: string; details: unknown; actorType: string }[] }>(await send("GET", `/api/v1/audit?target=server:${server.id}`), 200);
    expect(page.events[0]).toMatchObject({ action: "server.create", actorType: "token", details: { host: "127.0.0.1", port: 2222, keyGenerated: true } });
  });
});
