/** Stable list orders. */

/** Oldest first, ties broken by id (connection and model lists). */
export const byCreation = (a: { created_at: string; id: string }, b: { created_at: string; id: string }) =>
  a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);

/** Most recently updated first, ties broken by id, descending (the 2025-09-18 sync list order). */
export const byUpdateDescending = (a: { updated_at: string; id: string }, b: { updated_at: string; id: string }) =>
  b.updated_at.localeCompare(a.updated_at) || b.id.localeCompare(a.id);
