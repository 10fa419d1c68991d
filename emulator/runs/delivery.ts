/** POSTs one `sync.records` batch the way Polytomic sends them to a webhook connection. */
import * as zlib from "node:zlib";
import type { events } from "../../contract";

export interface DeliveryTarget {
  url: string;
  secret: string;
  headers: { name: string; value: string }[];
}

/** RFC 3339, UTC, whole seconds: `2021-06-01T22:55:36Z`. */
export const signatureTimestamp = (now = new Date()): string => now.toISOString().replace(/\.\d{3}Z$/, "Z");

export class DeliveryError extends Error {}

export async function deliverBatch(
  target: DeliveryTarget,
  body: events.SyncRecordsDelivery,
  opts: { userAgent: string; signal?: AbortSignal; timeoutMs?: number },
): Promise<void> {
  const gzipped = zlib.gzipSync(Buffer.from(JSON.stringify(body)));
  const headers: Record<string, string> = {};
  for (const { name, value } of target.headers) headers[name] = value;
  Object.assign(headers, {
    "Content-Type": "application/json",
    "Content-Encoding": "gzip",
    "Accept-Encoding": "gzip",
    Authorization: `Bearer ${target.secret}`,
    "Polytomic-Signature-Timestamp": signatureTimestamp(),
    "User-Agent": opts.userAgent,
  });
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: "POST",
      headers,
      body: gzipped,
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
    });
  } catch (err) {
    throw new DeliveryError(`could not deliver to ${target.url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Drain the body so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status >= 400) throw new DeliveryError(`the webhook ${target.url} answered HTTP ${response.status}`);
}
