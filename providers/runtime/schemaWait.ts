/** Waiting for a connection's schema to be ready, so models over it see its fields. */
import { connections } from "../../contract";
import type { KindContext } from "./kind";
import { sleep } from "../../client/retry";
import { ExpectedFailure } from "./expectedFailure";

export class SchemaNotReadyError extends ExpectedFailure {}

export async function waitForSchema(ctx: KindContext, id: string, label: string, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let delay = 250;
  let lastLog = Date.now();
  for (;;) {
    const status = await ctx.client.connections.schemaStatus(id);
    if (connections.isSchemaReady(status)) return;
    if (Date.now() >= deadline) {
      throw new SchemaNotReadyError(
        `${label}: schema not ready after ${timeoutSeconds} s (cache_status: ${String(status.cache_status)}). ` +
          "The connection exists and is kept in the stack; the next `pulumi up` waits again " +
          "(raise schemaReadyTimeoutSeconds if the source is large).",
      );
    }
    if (Date.now() - lastLog >= 5000) {
      ctx.log(`${label}: waiting for its schema (cache_status: ${String(status.cache_status)})`);
      lastLog = Date.now();
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 2, 2000);
  }
}
