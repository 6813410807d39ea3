import net from "node:net";

/** A loopback port nothing listens on: bound once by us, then released. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** The test database's URL with its port swapped for one where nothing listens: a database that is down. */
export async function downDatabaseUrl(url: string): Promise<string> {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(await closedPort());
  return u.toString();
}
