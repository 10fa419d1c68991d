/**
 * What each Polytomic kind tells the generic provider: its input schema, which inputs force a
 * replacement, how inputs become API bodies and how server objects read back as inputs.
 */
import type { z } from "zod";
import type { PolytomicClient } from "../../client";
import type { Listed } from "./createJournal";

export interface Failure {
  property: string;
  reason: string;
}

export interface KindContext {
  client: PolytomicClient;
  log: (message: string) => void;
  /** The `organizationId` the resource declares, when it declares one (known). */
  organizationId?: string;
}

/** The server object, seen both ways: as the declared inputs' shape, and as extra outputs. */
export interface ServerView {
  /** The server object in the inputs' shape (camelCase, without secrets it cannot show). */
  asInputs: Record<string, unknown>;
  /** Outputs that are not inputs: status, generated secrets, field names... */
  extras: Record<string, unknown>;
}

export interface KindSpec<Args extends Record<string, unknown> = Record<string, unknown>> {
  /** `Connection`: used in messages and idempotency keys. */
  name: string;
  /** Shape of the declared inputs (an object: its keys are the inputs); messages name the field. */
  schema: z.ZodObject & z.ZodType<Args>;
  /** Inputs whose change needs a new object. */
  replaceKeys: readonly string[];
  /** Inputs that only matter at creation or only steer the provider: never a diff, never sent. */
  providerOnlyKeys: readonly string[];
  /** Inputs the API never shows back (secrets): adoption cannot tell whether they match. */
  writeOnlyKeys: readonly string[];
  /** Array inputs whose order means nothing (sets): compared as sets in diffs and refreshes. */
  setKeys?: readonly string[];
  /** True when replacing must delete first (the object must be unique). */
  deleteBeforeReplace: boolean;
  /** Managed with the partner key itself, outside any organization (organizations). */
  partnerScope?: boolean;
  /** Rules that span fields (run only on fully known inputs). */
  crossChecks?(args: Args): Failure[];
  /**
   * Rules about what already exists, for a resource the state does not hold yet (fully known,
   * valid inputs; may call the API). Runs at preview and before anything is created.
   * `madeByThisStack(id)`: this stack created that object in a run whose state was not written
   * (a crash with checkpoints skipped; see stackNotes.ts). The ids of such kinds are noted at create.
   * `managedBy(id)`: the other stack (`<project>/<stack>`) of the same backend whose notes say it
   * manages that object, if any.
   */
  checkNew?(
    ctx: KindContext,
    args: Args,
    madeByThisStack: (id: string) => boolean,
    managedBy: (id: string) => Promise<string | undefined>,
  ): Promise<Failure[]>;
  create(ctx: KindContext, args: Args, idempotencyKey: string): Promise<{ id: string; view: ServerView }>;
  /** Every object of the kind, as listed: to find what a killed run's create made (createJournal.ts). */
  list?(ctx: KindContext): Promise<Listed[]>;
  /** Runs after every create, adoption and update (e.g. waiting for readiness). */
  afterWrite?(ctx: KindContext, id: string, args: Args): Promise<void>;
  get(ctx: KindContext, id: string): Promise<ServerView>;
  update(ctx: KindContext, id: string, args: Args, previous: Record<string, unknown>): Promise<ServerView>;
  delete(ctx: KindContext, id: string): Promise<void>;
  /** The body a create would send (the idempotency key is derived from it). */
  body(args: Args): unknown;
}
