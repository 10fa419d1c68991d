/** Collects the engine's resource steps of one operation, for exact assertions on what changed. */
import type { EngineEvent } from "@pulumi/pulumi/automation";

export interface Step {
  op: string;
  type: string;
  name: string;
  diffs: string[];
}

/** Steps on our Polytomic resources only (not the stack, the component or default providers). */
export function stepRecorder() {
  const steps: Step[] = [];
  const onEvent = (event: EngineEvent) => {
    const meta = event.resourcePreEvent?.metadata;
    if (!meta || !meta.type.startsWith("pulumi-nodejs:dynamic/polytomic:")) return;
    steps.push({
      op: meta.op,
      type: meta.type.replace("pulumi-nodejs:dynamic/polytomic:", ""),
      name: meta.urn.split("::").pop() ?? "",
      diffs: meta.diffs ?? [],
    });
  };
  const changed = () => steps.filter((s) => s.op !== "same" && s.op !== "read");
  const reset = () => steps.splice(0, steps.length);
  return { steps, onEvent, changed, reset };
}
