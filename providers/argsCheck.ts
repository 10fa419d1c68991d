/**
 * Compile-time check that each resource's public args (what a program declares, with
 * `pulumi.Input` wrappers) and its kind's zod schema (what the runtime checks, runtime/kinds/)
 * describe the same inputs: the same keys, and every declared value accepted by the schema.
 * Nothing here runs; `npm run build` fails when the two drift apart.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ConnectionArgs } from "./connection";
import type { ModelArgs } from "./model";
import type { ModelSyncArgs } from "./modelSync";
import type { OrgWebhookArgs } from "./orgWebhook";
import type { OrganizationArgs } from "./organization";
import type { ConnectionArgs as ConnectionSchema } from "./runtime/kinds/connection";
import type { ModelArgs as ModelSchema } from "./runtime/kinds/model";
import type { ModelSyncArgs as ModelSyncSchema } from "./runtime/kinds/modelSync";
import type { OrgWebhookArgs as OrgWebhookSchema } from "./runtime/kinds/orgWebhook";
import type { OrganizationArgs as OrganizationSchema } from "./runtime/kinds/organization";

/** `true` when the public args have the schema's keys and every value they allow passes the schema. */
type Matches<Public, Schema extends z.ZodType> = [keyof Public] extends [keyof z.input<Schema>]
  ? [keyof z.input<Schema>] extends [keyof Public]
    ? pulumi.Unwrap<Public> extends z.input<Schema>
      ? true
      : { mismatch: "a declared value the schema refuses"; declared: pulumi.Unwrap<Public>; schema: z.input<Schema> }
    : { mismatch: "schema keys the public args lack"; keys: Exclude<keyof z.input<Schema>, keyof Public> }
  : { mismatch: "public keys the schema lacks"; keys: Exclude<keyof Public, keyof z.input<Schema>> };

export type ArgsMatchSchemas = [
  Matches<ConnectionArgs, typeof ConnectionSchema>,
  Matches<ModelArgs, typeof ModelSchema>,
  Matches<ModelSyncArgs, typeof ModelSyncSchema>,
  Matches<OrgWebhookArgs, typeof OrgWebhookSchema>,
  Matches<OrganizationArgs, typeof OrganizationSchema>,
];
const check: ArgsMatchSchemas = [true, true, true, true, true];
void check;
