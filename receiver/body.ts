/**
 * Reads a request body with one byte limit applied twice: to the bytes on the wire and to the
 * bytes after decompression. Decompression is streamed and stopped as soon as the limit is
 * passed, so a small gzip that inflates to gigabytes costs at most `maxBytes` of memory.
 */
import type { IncomingMessage } from "node:http";
import * as zlib from "node:zlib";

export type Body =
  | { ok: true; /** bytes as received */ wire: Buffer; /** bytes after Content-Encoding is undone */ decoded: Buffer }
  | { ok: false; status: 400 | 408 | 413 | 415; reason: string; message: string };

type Decoder = (chunkSize: number) => zlib.Gunzip | zlib.Inflate;

const DECODERS: Record<string, Decoder | undefined> = {
  identity: undefined,
  gzip: (chunkSize) => zlib.createGunzip({ chunkSize }),
  "x-gzip": (chunkSize) => zlib.createGunzip({ chunkSize }),
  deflate: (chunkSize) => zlib.createInflate({ chunkSize }),
};

/**
 * Each inflate step fills an output buffer of this size, and a slice of it keeps all of it
 * alive: a quarter of the limit (at most 64 KiB) keeps a refused bomb's garbage near the limit.
 */
const chunkSizeFor = (maxBytes: number): number => Math.max(zlib.constants.Z_MIN_CHUNK, Math.min(64 * 1024, Math.floor(maxBytes / 4)));

const tooLarge = (what: string, maxBytes: number): Body => ({
  ok: false,
  status: 413,
  reason: "body_too_large",
  message: `${what} body exceeds ${maxBytes} bytes`,
});

/**
 * Reads the whole body of `req`. `maxBytes` bounds the bytes on the wire and, separately, the
 * bytes after decoding; `timeoutMs` (optional) bounds how long the body may take to arrive, so a
 * slow sender cannot hold one of the route's few in-flight slots.
 */
export function readBody(req: IncomingMessage, maxBytes: number, opts: { timeoutMs?: number } = {}): Promise<Body> {
  const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase() || "identity";
  if (!(encoding in DECODERS)) {
    return Promise.resolve({
      ok: false,
      status: 415,
      reason: "unsupported_encoding",
      message: "Content-Encoding must be gzip, deflate or identity",
    });
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(tooLarge("request", maxBytes));

  const decoder = DECODERS[encoding]?.(chunkSizeFor(maxBytes));
  return new Promise<Body>((resolve) => {
    const wire: Buffer[] = [];
    const decoded: Buffer[] = [];
    let wireBytes = 0;
    let decodedBytes = 0;
    let settled = false;
    const timer = opts.timeoutMs
      ? setTimeout(
          () => settle({ ok: false, status: 408, reason: "body_timeout", message: `the body did not arrive within ${opts.timeoutMs} ms` }),
          opts.timeoutMs,
        )
      : undefined;

    const settle = (result: Body): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off("data", onWireData);
      decoder?.destroy();
      // On a rejection the rest of the body stays unread; the server closes the connection.
      if (!result.ok) req.pause();
      resolve(result);
    };
    const done = (): void => {
      const wireBody = Buffer.concat(wire, wireBytes);
      settle({ ok: true, wire: wireBody, decoded: decoder ? Buffer.concat(decoded, decodedBytes) : wireBody });
    };

    function onWireData(chunk: Buffer): void {
      wireBytes += chunk.length;
      if (wireBytes > maxBytes) return settle(tooLarge(decoder ? "compressed" : "request", maxBytes));
      wire.push(chunk);
      decoder?.write(chunk);
    }
    req.on("data", onWireData);
    req.on("end", () => {
      if (settled) return;
      if (decoder) decoder.end();
      else done();
    });
    req.on("error", () => settle({ ok: false, status: 400, reason: "body_aborted", message: "request body was cut off" }));

    if (decoder) {
      decoder.on("data", (chunk: Buffer) => {
        decodedBytes += chunk.length;
        if (decodedBytes > maxBytes) return settle(tooLarge("decompressed", maxBytes));
        decoded.push(chunk);
      });
      decoder.on("end", done);
      decoder.on("error", () =>
        settle({ ok: false, status: 400, reason: "corrupt_body", message: `body is not valid ${encoding} data` }),
      );
    }
  });
}
