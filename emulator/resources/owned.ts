/** Objects as one organization sees them: another organization's objects do not exist for it. */
export interface Owned {
  organization_id: string;
}

/** The object with this id if the organization owns it. */
export function ownedBy<T extends Owned>(collection: Record<string, T>, id: string, organizationId: string): T | undefined {
  const found = collection[id];
  return found && found.organization_id === organizationId ? found : undefined;
}

/** The organization's objects of one collection. */
export function allOwnedBy<T extends Owned>(collection: Record<string, T>, organizationId: string): T[] {
  return Object.values(collection).filter((item) => item.organization_id === organizationId);
}
