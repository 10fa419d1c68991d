/**
 * The organization's global error subscribers (`/api/notifications/global-error-subscribers`):
 * one list of emails per organization, replaced whole by PUT. Unlike the other objects the body
 * has no `data` envelope (polytomic-typescript `GlobalErrorSubscribersResponse`, tests/wire/
 * notifications.test.ts; Polytomic's Terraform provider v2.0.0 reads `response.Emails`).
 */
import { z } from "zod";

export const GlobalErrorSubscribersRequest = z.object({
  /** Optional in TS's type; absent replaces the list with none, as an empty list does. */
  emails: z.array(z.email({ error: "must be an email address" })).optional(),
});
export type GlobalErrorSubscribersRequest = z.infer<typeof GlobalErrorSubscribersRequest>;

export const GlobalErrorSubscribers = z.object({
  emails: z
    .array(z.string())
    .nullable()
    .optional()
    .transform((emails) => emails ?? []),
});
export type GlobalErrorSubscribers = z.output<typeof GlobalErrorSubscribers>;
