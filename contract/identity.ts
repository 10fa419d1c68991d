/** `GET /api/me`: who the API key belongs to. */
import { z } from "zod";
import { envelope } from "./common";

export const Identity = z.object({
  id: z.string().optional(),
  email: z.string().optional(),
  organization_id: z.string(),
  organization_name: z.string().optional(),
  is_user: z.boolean().optional(),
  is_organization: z.boolean().optional(),
  is_partner: z.boolean().optional(),
  is_system: z.boolean().optional(),
  role: z.string().optional(),
});
export type Identity = z.infer<typeof Identity>;
export const IdentityEnvelope = envelope(Identity);
