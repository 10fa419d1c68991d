/**
 * Cross-cutting pieces of the Polytomic API contract: versions, envelopes, errors, ids.
 * Facts and sources: ../shared/reference/polytomic-api.md section 1.
 */
import { z } from "zod";

/** The API version every request of ours pins (the version of the newest public docs). */
export const API_VERSION = "2025-09-18";

/** Versions the API documents; the emulator accepts these and echoes the one it served. */
export const SUPPORTED_API_VERSIONS = ["2025-09-18", "2024-02-08", "2023-04-25", "2022-12-12", "2021-05-23"] as const;

/** Secrets come back from reads as this mask. */
export const REDACTED = "********";

/** `Idempotency-Key`: alphanumerics, `-` and `_`, 8 to 255 characters. */
export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,255}$/, "Idempotency-Key must be 8-255 characters of letters, digits, '-' or '_'");

export const Timestamp = z.iso.datetime({ offset: true });

/** A user or API key that created or updated an object. */
export const CommonOutputActor = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  type: z.string().optional(),
});
export type CommonOutputActor = z.infer<typeof CommonOutputActor>;

/** `{"data": ...}`: every response body wraps its payload. */
export const envelope = <T extends z.ZodType>(data: T) => z.object({ data });

/** Lists: `data` is documented nullable; we serve `[]` and accept `null`. */
export const listEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item).nullable().transform((items) => items ?? []) });

export const Pagination = z.object({ next_page_token: z.string().optional() });

/** Cursor-paginated lists (model syncs, executions). */
export const pagedEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item).nullable().transform((items) => items ?? []),
    pagination: Pagination.optional(),
  });

/** The body of every documented error response. */
export const ApiError = z.object({
  status: z.number().int().optional(),
  message: z.string().optional(),
  key: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof ApiError>;
