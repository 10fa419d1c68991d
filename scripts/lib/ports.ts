/**
 * Where the local emulator and receiver listen, and a stack config that points at them.
 *
 * `EMULATOR_PORT` and `RECEIVER_PORT` move both servers; the `dev` stack's config names the
 * default ports (8787, 8788), so with an override the stack runs from a copy of its config file
 * in which those loopback URLs carry the chosen ports (Pulumi's `--config-file`). The stack file
 * in the repository is never rewritten.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { DEFAULT_PORT as DEFAULT_EMULATOR_PORT } from "../../emulator/defaults";
import { OperatorError } from "./operatorError";

export const DEFAULT_RECEIVER_PORT = 8788;

export interface LocalPorts {
  emulator: number;
  receiver: number;
}

export function portFrom(variable: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const text = env[variable];
  if (text === undefined || text === "") return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new OperatorError(`${variable}=${text} is not a port number: set ${variable} to a whole number from 1 to 65535`);
  }
  return port;
}

export function localPorts(env: NodeJS.ProcessEnv = process.env): LocalPorts {
  return {
    emulator: portFrom("EMULATOR_PORT", DEFAULT_EMULATOR_PORT, env),
    receiver: portFrom("RECEIVER_PORT", DEFAULT_RECEIVER_PORT, env),
  };
}

/** Fails with a one-line message naming `variable` when something already listens on `port`. */
export async function assertPortFree(port: number, variable: string, what: string): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OperatorError(
      code === "EADDRINUSE"
        ? `port ${port} is already in use, so the ${what} cannot start there: stop what listens on it, or set ${variable} to a free port (e.g. ${variable}=${port + 10000})`
        : `the ${what} cannot listen on port ${port} (${code ?? String(err)}): set ${variable} to another port`,
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * The stack config file to run with: undefined (Pulumi's own `Pulumi.<stack>.yaml`) when both
 * ports are the defaults, else a copy under `.data/` whose loopback URLs on the default ports
 * point at the chosen ones.
 */
export function configFileForPorts(root: string, stack: string, ports: LocalPorts): string | undefined {
  if (ports.emulator === DEFAULT_EMULATOR_PORT && ports.receiver === DEFAULT_RECEIVER_PORT) return undefined;
  const source = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(source)) return undefined;
  const text = fs
    .readFileSync(source, "utf8")
    .replace(/(https?:\/\/(?:127\.0\.0\.1|localhost)):(\d+)\b/g, (url, host: string, port: string) => {
      if (Number(port) === DEFAULT_EMULATOR_PORT) return `${host}:${ports.emulator}`;
      if (Number(port) === DEFAULT_RECEIVER_PORT) return `${host}:${ports.receiver}`;
      return url;
    });
  const target = path.join(root, ".data", "pulumi-config", `Pulumi.${stack}.ports-${ports.emulator}-${ports.receiver}.yaml`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  return target;
}
