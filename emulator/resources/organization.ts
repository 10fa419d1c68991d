/** The one organization an emulator serves: what a request naming another one gets. */
import { ApiProblem } from "../http/errors";

/** A request's `organization_id` may only name the caller's own organization. */
export function checkOrganization(requested: string | null | undefined, organizationId: string): void {
  if (requested && requested !== organizationId) {
    throw new ApiProblem(403, "organization_id: this API key cannot act in that organization", "forbidden");
  }
}
