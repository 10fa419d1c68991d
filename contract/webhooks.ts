/**
 * The organization's event webhook (one per organization).
 * Facts: ../shared/reference/polytomic-api.md section 2.4.
 */
import { z } from "zod";
import { envelope, listEnvelope, Timestamp } from "./common";

/** The HMAC secret: 6 to 32 characters (documented on create). */
export const WebhookSecret = z.string().min(6, "must be at least 6 characters").max(32, "must be at most 32 characters");

export const CreateWebhookRequest = z.object({
  endpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  secret: WebhookSecret,
  organization_id: z.string().nullable().optional(),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;
/** PUT requires the secret again: keep it client-side. */
export const UpdateWebhookRequest = CreateWebhookRequest;

export const Webhook = z.object({
  id: z.string(),
  organization_id: z.string().optional(),
  endpoint: z.string(),
  secret: z.string().optional(),
  disabled: z.boolean().optional(),
  created_at: Timestamp.optional(),
});
export type Webhook = z.infer<typeof Webhook>;
export const WebhookEnvelope = envelope(Webhook);
export const WebhookListEnvelope = listEnvelope(Webhook);
