import { describe, expect, it } from "vitest";
import { AddressGuard } from "../net/guard";
import { startHttpServer } from "../net/testing/servers";
import { postJson } from "./webhook";

const guard = new AddressGuard();

describe("postJson (alert webhooks)", () => {
  it("posts JSON and reports a non-2xx answer", async () => {
    const hook = await startHttpServer((req, res) => {
      res.writeHead(req.url === "/fail" ? 500 : 204);
      res.end(req.url === "/fail" ? "boom" : undefined);
    });
    try {
      expect(await postJson(`${hook.url}/ok`, { a: 1 }, { guard })).toEqual({ ok: true, status: 204, error: null });
      expect(hook.requests.at(-1)).toMatchObject({ method: "POST", body: '{"a":1}' });
      expect(await postJson(`${hook.url}/fail`, { a: 1 }, { guard })).toEqual({ ok: false, status: 500, error: "HTTP 500: boom" });
      expect((await postJson("http://169.254.169.254/hook", {}, { guard })).error).toMatch(/refused/);
    } finally {
      await hook.close();
    }
  });
});
