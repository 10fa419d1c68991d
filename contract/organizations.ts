/**
 * Organizations, managed with a partner key (Polytomic Connect partners run one organization
 * per customer). A partner key reaches the organization endpoints only; inside one
 * organization it acts with `Authorization: Basic base64(<organization id>:<partner key>)`.
 * Facts: ../shared/reference/polytomic-api.md section 1.2.
 */
import { z } from "zod";
import { envelope, listEnvelope } from "./common";

export const CreateOrganizationRequest = z.object({
  name: z.string().min(1, "must not be empty"),
  sso_domain: z.string().optional(),
  sso_org_id: z.string().optional(),
  issuer: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});
export type CreateOrganizationRequest = z.infer<typeof CreateOrganizationRequest>;
export const UpdateOrganizationRequest = CreateOrganizationRequest;

export const Organization = z.object({
  id: z.string(),
  name: z.string(),
  sso_domain: z.string().optional(),
  sso_org_id: z.string().optional(),
  issuer: z.string().optional(),
});
export type Organization = z.infer<typeof Organization>;
export const OrganizationEnvelope = envelope(Organization);
export const OrganizationListEnvelope = listEnvelope(Organization);

/** The `Authorization` header that acts inside one organization with a partner key. */
export const organizationScopedAuthorization = (organizationId: string, partnerKey: string): string =>
  `Basic ${Buffer.from(`${organizationId}:${partnerKey}`).toString("base64")}`;
