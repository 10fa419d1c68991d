/**
 * The state's idempotency salt, as a resource every Polytomic resource of the program depends on.
 *
 * Why a resource: an Idempotency-Key must be the same when a create is retried after a crash, and
 * different in any other stack state, even one made from the same stack config file (two clones,
 * a backend lost and re-created). The only per-state place Pulumi gives a program is the state:
 * this resource is created before the first Polytomic object, holds the salt as a secret, and
 * never changes. When the engine skips checkpoints the state is written only at the end of a
 * run, so the salt is derived from a nonce kept beside the state and the stack's passphrase
 * instead of drawn at random: a run killed midway and retried computes the same salt
 * (providers/runtime/salt.ts). Each resource class asks for it with {@link createInputs};
 * an existing stack gets its salt on the next `up` (one create), and the salt being new changes
 * no other resource (it is kept out of every diff).
 *
 * Also: resources constructed in the same turn of the event loop as an {@link OrgWebhook} wait for
 * that webhook to be registered, so a webhook that another stack owns fails the run before any
 * other object is created (see the OrgWebhook kind's `checkNew`).
 */
import * as pulumi from "./sdk";
import { DynamicResource, providers } from "./stub";

/** Name of the salt resource: one per stack. */
export const SALT_RESOURCE_NAME = "polytomic-idempotency-salt";

/** `pulumi-nodejs:dynamic/polytomic-state:IdempotencySalt`: not a Polytomic object, so its own module. */
export class IdempotencySalt extends DynamicResource {
  /** 32 random bytes, base64url. Secret. */
  public readonly value!: pulumi.Output<string>;

  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    // `stack` names the state the salt belongs to (see providers/runtime/salt.ts: where it is kept).
    super(providers.idempotencySalt, name, { value: undefined, stack: stackName() }, { ...opts, additionalSecretOutputs: ["value"] }, "polytomic-state", "IdempotencySalt");
  }
}

/** `<project>/<stack>`: which stack's notes (providers/runtime/stackNotes.ts) a resource may keep. */
export function stackName(): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}`;
}

interface RunSalt {
  salt: IdempotencySalt;
  orgWebhooks: pulumi.Resource[];
  /** The salt, released once the org webhooks constructed alongside are registered. */
  afterOrgWebhooks: pulumi.Output<string>;
}

// One salt per program run. Inline Automation API programs run several times in one process:
// each run has its own stack resource, so runs are told apart by it.
const runs = new WeakMap<object, RunSalt>();
const OUTSIDE_A_RUN = {};

function currentRun(): RunSalt {
  const key = (pulumi.runtime.getStackResource() as object | undefined) ?? OUTSIDE_A_RUN;
  let run = runs.get(key);
  if (!run) {
    const salt = new IdempotencySalt(SALT_RESOURCE_NAME);
    const orgWebhooks: pulumi.Resource[] = [];
    const registered = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      Promise.all(orgWebhooks.map((hook) => new Promise<string>((resolve) => hook.urn.apply(resolve)))),
    );
    run = { salt, orgWebhooks, afterOrgWebhooks: pulumi.all([salt.value, registered]).apply(([value]) => value) };
    runs.set(key, run);
  }
  return run;
}

/**
 * The inputs every Polytomic resource gets besides its own: the state's salt (`idempotencySalt`)
 * and the stack's name (`polytomicStack`: where its notes and journal of creates are kept). None
 * for a read-only resource (`X.get(name, id)`), which never creates anything.
 */
export function createInputs(
  opts: pulumi.CustomResourceOptions | undefined,
  kind: "orgWebhook" | "other" = "other",
): { idempotencySalt?: pulumi.Output<string>; polytomicStack?: string } {
  if (opts?.id !== undefined) return {};
  const run = currentRun();
  return { idempotencySalt: kind === "orgWebhook" ? run.salt.value : run.afterOrgWebhooks, polytomicStack: stackName() };
}

/** Records an org webhook of this run, so the other resources constructed alongside wait for it. */
export function registerOrgWebhook(hook: pulumi.Resource, opts: pulumi.CustomResourceOptions | undefined): void {
  if (opts?.id === undefined) currentRun().orgWebhooks.push(hook);
}
