/** Which objects use a connection or a model (the `used_by` of a refused delete). */
import type { EmulatorState } from "../store/state";

export interface Dependent {
  type: "model" | "sync" | "bulk_sync";
  name: string;
  id: string;
}

/** Models reading from the connection, and syncs writing to it or reading its models. */
export function connectionDependents(state: EmulatorState, connectionId: string): Dependent[] {
  const models = Object.values(state.models).filter((m) => m.connection_id === connectionId);
  const modelIds = new Set(models.map((m) => m.id));
  const syncs = Object.values(state.syncs).filter(
    (s) => s.target.connection_id === connectionId || s.model_ids.some((id) => modelIds.has(id)),
  );
  // Bulk syncs read from or write to connections directly.
  const bulkSyncs = Object.values(state.bulkSyncs).filter((b) => b.source_connection_id === connectionId || b.destination_connection_id === connectionId);
  return [
    ...models.map((m) => ({ type: "model" as const, name: m.name, id: m.id })),
    ...syncs.map((s) => ({ type: "sync" as const, name: s.name, id: s.id })),
    ...bulkSyncs.map((b) => ({ type: "bulk_sync" as const, name: b.name, id: b.id })),
  ];
}

/** Syncs reading from the model. */
export function modelDependents(state: EmulatorState, modelId: string): Dependent[] {
  return Object.values(state.syncs)
    .filter((s) => s.model_ids.includes(modelId))
    .map((s) => ({ type: "sync" as const, name: s.name, id: s.id }));
}
