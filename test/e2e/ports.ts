/** Ports for tests: one nothing listens on (an unreachable API, or a free port for a server to take). */
import * as net from "node:net";

export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A port free for a server a test starts (the same thing: nothing listens on it now). */
export const freePort = closedPort;
