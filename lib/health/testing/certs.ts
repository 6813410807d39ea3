import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type http from "node:http";
import https from "node:https";
import type net from "node:net";
import type { Duplex } from "node:stream";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";

/**
 * Certificates made for a test with the openssl CLI: one CA, and leaf certificates for localhost and
 * 127.0.0.1 signed by it, valid for as many days as asked (0: expires the second it is made).
 */
export interface TestCa {
  /** The CA certificate (PEM), for the check's `ca`. */
  pem: string;
  issue(days: number, cn?: string): { key: string; cert: string };
}

function openssl(args: string[]): void {
  execFileSync("openssl", args, { stdio: "ignore" });
}

export function makeTestCa(): TestCa {
  const dir = mkdtempSync(path.join(os.tmpdir(), "deckhand-ca-"));
  const file = (name: string) => path.join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(["req", "-x509", ...ec, "-days", "3650", "-subj", "/CN=Deckhand Test CA", "-keyout", file("ca.key"), "-out", file("ca.pem")]);
  writeFileSync(file("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  let n = 0;
  return {
    pem: readFileSync(file("ca.pem"), "utf8"),
    issue(days, cn = "localhost") {
      const id = `leaf${++n}`;
      openssl(["req", ...ec, "-subj", `/CN=${cn}`, "-keyout", file(`${id}.key`), "-out", file(`${id}.csr`)]);
      openssl(["x509", "-req", "-in", file(`${id}.csr`), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial", "-days", String(days), "-extfile", file("ext.cnf"), "-out", file(`${id}.pem`)]);
      return { key: readFileSync(file(`${id}.key`), "utf8"), cert: readFileSync(file(`${id}.pem`), "utf8") };
    },
  };
}

/** An HTTPS server on 127.0.0.1 whose certificate can be swapped (a renewal) while it runs. */
export interface TestHttpsServer {
  port: number;
  url: string;
  setCertificate(pair: { key: string; cert: string }): void;
  close(): Promise<void>;
}

export async function startHttpsServer(pair: { key: string; cert: string }, handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TestHttpsServer> {
  const server = https.createServer({ key: pair.key, cert: pair.cert }, handler);
  const sockets = new Set<Duplex>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `https://localhost:${port}`,
    setCertificate: (p) => server.setSecureContext({ key: p.key, cert: p.cert }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A bare TLS server (no HTTP) for certificate monitors. */
export async function startTlsServer(pair: { key: string; cert: string }): Promise<TestHttpsServer> {
  const server = tls.createServer({ key: pair.key, cert: pair.cert }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `localhost:${port}`,
    setCertificate: (p) => server.setSecureContext({ key: p.key, cert: p.cert }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
