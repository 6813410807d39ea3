import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { createAppAction, updateAppAction } from "../actions/apps";
import { runAction } from "../actions/core";
import { createServerAction } from "../actions/servers";
import { deployPathsOverlap, normaliseDeployPath } from "./deploy-paths";

describe("deploy path overlap (pure)", () => {
  it("normalises repeated and trailing slashes and . segments", () => {
    expect(normaliseDeployPath("/srv//shop/")).toBe("/srv/shop");
    expect(normaliseDeployPath("/srv/./shop/.")).toBe("/srv/shop");
    expect(normaliseDeployPath(" /srv/shop ")).toBe("/srv/shop");
  });

  it.each([
    ["/srv/shop", "/srv/shop", true],
    ["/srv/shop/", "/srv//shop", true],
    ["/srv/shop", "/srv/shop/blog", true],
    ["/srv/shop/blog", "/srv/shop", true],
    ["/srv/./shop", "/srv/shop/./x", true],
    ["/srv", "/srv/a/b/c", true],
    ["/srv/shop", "/srv/shopping", false],
    ["/srv/shopping", "/srv/shop", false],
    ["/srv/a/b", "/srv/a/c", false],
    ["/srv/Shop", "/srv/shop", false],
    ["/opt/shop", "/srv/shop", false],
  ])("%s and %s overlap: %s", (a, b, expected) => {
    expect(deployPathsOverlap(a, b)).toBe(expected);
    expect(deployPathsOverlap(b, a)).toBe(expected);
  });
});

const admin: Principal = { kind: "token", id: "t-admin", name: "admin", role: "admin" };
const meta = { ip: null, userAgent: null };

async function server(name: string, host: string, port = 22) {
  return runAction(createServerAction, admin, { name, host, port, username: "deploy", generateKey: true }, meta);
}

function app(name: string, deployPath: string, serverIds: string[]) {
  return runAction(createAppAction, admin, { name, repoUrl: `/srv/${name}.git`, deployPath, serverIds }, meta);
}

describe("two apps may not share or nest a deploy path on one server", () => {
  it("refuses on create, update of the path and adding a server, naming the other app", async () => {
    const web1 = await server("dp-web1", "10.1.0.1");
    const web2 = await server("dp-web2", "10.1.0.2");
    const web1Alias = await server("dp-web1-again", "10.1.0.1");
    await app("dp-shop", "/srv/dp/shop", [web1.id]);

    for (const path of ["/srv/dp/shop", "/srv/dp/shop/", "/srv//dp/shop/blog", "/srv/dp"]) {
      await expect(app(`dp-x-${path.length}`, path, [web1.id]), path).rejects.toMatchObject({ status: 409, message: expect.stringContaining('app "dp-shop" (/srv/dp/shop) on server dp-web1') });
    }
    // the same host and port under another server record is the same machine
    await expect(app("dp-alias", "/srv/dp/shop", [web1Alias.id])).rejects.toMatchObject({ status: 409 });
    // a sibling path, or the same path on another server, is fine
    const sibling = await app("dp-shopping", "/srv/dp/shopping", [web1.id]);
    const elsewhere = await app("dp-shop-2", "/srv/dp/shop", [web2.id]);

    // moving into the other's path, or adding the other's server, is refused; nothing changed
    await expect(runAction(updateAppAction, admin, { appId: sibling.id, deployPath: "/srv/dp/shop/inner" }, meta)).rejects.toMatchObject({ status: 409, message: expect.stringContaining("dp-shop") });
    await expect(runAction(updateAppAction, admin, { appId: elsewhere.id, serverIds: [web2.id, web1.id] }, meta)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/is the deploy path of app "dp-shop"/) });
    expect((await db().app.findUniqueOrThrow({ where: { id: sibling.id } })).deployPath).toBe("/srv/dp/shopping");
    expect(await db().appTarget.count({ where: { appId: elsewhere.id } })).toBe(1);

    // an app's own path never clashes with itself
    await runAction(updateAppAction, admin, { appId: sibling.id, deployPath: "/srv/dp/shopping/", serverIds: [web1.id] }, meta);
  });

  it("lets only one of two concurrent creates of the same path through", async () => {
    const s = await server("dp-race", "10.1.0.9");
    const results = await Promise.allSettled([app("dp-race-a", "/srv/race", [s.id]), app("dp-race-b", "/srv/race/", [s.id])]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});
