/**
 * Test helpers that build deliveries exactly as Polytomic (and our emulator) sends them, so the
 * tests exercise the receiver's real verify path.
 */
import { randomUUID } from "node:crypto";
import * as zlib from "node:zlib";
import { signBody } from "../../receiver";

export interface RecordsRequest {
  url: string;
  secret: string;
  body: Buffer | string;
  gzip?: boolean;
  /** Default: now. `null` leaves the header out. */
  timestamp?: string | null;
  headers?: Record<string, string>;
}

export function recordsBody(syncId: string, rows: Record<string, unknown>[], event = "sync.records"): string {
  return JSON.stringify({
    event,
    object: {
      id: syncId,
      name: "high paying users",
      records: rows.map((fields) => ({ hash: signBody("test-hash", JSON.stringify(fields)).slice(0, 16), fields })),
      metadata: {},
    },
  });
}

export async function postRecords(req: RecordsRequest): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = Buffer.from(req.body);
  const body = req.gzip ? zlib.gzipSync(raw) : raw;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Authorization: `Bearer ${req.secret}`,
    ...(req.gzip ? { "Content-Encoding": "gzip" } : {}),
    ...(req.timestamp === null ? {} : { "Polytomic-Signature-Timestamp": req.timestamp ?? new Date().toISOString() }),
    ...req.headers,
  };
  return send(req.url, body, headers);
}

export async function postEvent(
  url: string,
  secret: string | null,
  event: unknown,
  signature?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return postSignedBytes(url, secret, Buffer.from(JSON.stringify(event)), signature);
}

/** POSTs raw bytes to the events route, signed with `secret` unless a signature is given. */
export async function postSignedBytes(
  url: string,
  secret: string | null,
  body: Buffer,
  signature?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const sig = signature ?? (secret === null ? undefined : signBody(secret, body));
  if (sig !== undefined) headers["Polytomic-Signature"] = sig;
  return send(url, body, headers);
}

export async function send(url: string, body: Buffer, headers: Record<string, string>) {
  const res = await fetch(url, { method: "POST", body, headers });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

export function syncEvent(type = "sync.completed") {
  return {
    id: randomUUID(),
    type,
    organization_id: "00000000-0000-4000-8000-000000000001",
    created_at: new Date().toISOString(),
    event: { execution_id: randomUUID(), sync_id: randomUUID(), sync_name: "s", organization_id: "o", target_connection_id: "c" },
  };
}

/** The same kind of event in the Events doc's shape: no id, organization or time at the top, `name`. */
export function docEvent(type = "sync.completed") {
  return {
    type,
    event: {
      name: "Salesforce Sync",
      organization_id: "be80a27e-0e80-4dcb-bee9-1666f02eeb83",
      sync_id: randomUUID(),
      execution_id: randomUUID(),
      target_connection_id: randomUUID(),
      ...(type === "sync.completed" ? { status: "completed", trigger: "manual", total_records: ["https://example.invalid/log.json"], inserted_records: null, updated_records: [] } : {}),
    },
  };
}

/**
 * A gzip bomb: `members` copies of one gzip member of `memberBytes` zeros. Node's gunzip reads
 * concatenated members as one stream, so this inflates to members x memberBytes while building
 * in milliseconds (a single-member bomb of the same size takes about a second of CPU to make).
 */
export function gzipBomb(memberBytes: number, members: number): Buffer {
  const member = zlib.gzipSync(Buffer.alloc(memberBytes), { level: 9 });
  return Buffer.concat(Array.from({ length: members }, () => member));
}
