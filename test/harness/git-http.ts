import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * A real git smart-HTTP server on loopback (git http-backend behind basic auth), so a repository URL with a
 * credential in it (`http://user:token@127.0.0.1:port/repo.git`) is exercised the way a server uses it.
 */
export interface GitHttpServer {
  /** The URL of `repoDir` with the credential in it. */
  url(user: string, password: string): string;
  /** Basic-auth credentials the server was sent, one per request that carried them. */
  seen: string[];
  stop(): Promise<void>;
}

export async function startGitHttp(repoDir: string, user: string, password: string): Promise<GitHttpServer> {
  const seen: string[] = [];
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const root = path.dirname(repoDir);
  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization;
    if (auth) seen.push(Buffer.from(auth.replace(/^Basic /, ""), "base64").toString());
    if (auth !== expected) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const cgi = spawn("git", ["http-backend"], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? "GET",
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        REMOTE_USER: user,
        ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end === -1) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split("\r\n")) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.on("close", () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const name = path.basename(repoDir);
  return {
    url: (u, p) => `http://${u}:${p}@127.0.0.1:${port}/${name}`,
    seen,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
