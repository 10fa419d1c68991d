/**
 * ConnectionSchemaPrimaryKeys: the primary-key override of one schema (a table, an object, a
 * file) of a connection, as Polytomic's Terraform provider manages it
 * (`resource_connection_schema_primary_keys.go`: `connection_id` and `schema_id` force a new
 * resource, `field_ids` a set of at least one field id, `organization`). Creating or updating it
 * is one `PUT .../schemas/{schema_id}/primary_keys` (a full replacement of the override set);
 * deleting it is the `DELETE` that reverts the schema to the keys its source declares.
 *
 * The object's id is `<connectionId>/<schemaId>`: the override has no id of its own (Terraform
 * writes `<organization>/<connection_id>/<schema_id>`; the organization is an input here).
 */
import { z } from "zod";
import { isNotFound } from "../../../client";
import type { KindContext, KindSpec, ServerView } from "../kind";

export const ConnectionSchemaPrimaryKeysArgs = z.object({
  connectionId: z.string().min(1, "must be a connection id"),
  schemaId: z.string().min(1, "must be a schema id of the connection (e.g. public.users for a database table)"),
  fieldIds: z
    .array(z.string().min(1, "must be a field id"))
    .min(1, "must name at least one field (delete the resource to go back to the keys the source declares)")
    .refine((ids) => new Set(ids).size === ids.length, "must not name a field twice"),
  organizationId: z.string().optional(),
  adoptId: z.string().min(1).optional(),
});
export type ConnectionSchemaPrimaryKeysArgs = z.infer<typeof ConnectionSchemaPrimaryKeysArgs>;

/** The object id of the override of `schemaId` on `connectionId`. */
export const primaryKeysId = (connectionId: string, schemaId: string) => `${connectionId}/${schemaId}`;

/** Connection ids hold no `/`; schema ids may. */
function parseId(id: string): { connectionId: string; schemaId: string } {
  const slash = id.indexOf("/");
  if (slash <= 0 || slash === id.length - 1) throw new Error(`"${id}" is not a primary-key override id (<connection id>/<schema id>)`);
  return { connectionId: id.slice(0, slash), schemaId: id.slice(slash + 1) };
}

async function read(ctx: KindContext, id: string): Promise<ServerView> {
  const { connectionId, schemaId } = parseId(id);
  const schema = await ctx.client.schemas.get(connectionId, schemaId);
  const keys = schema.fields.filter((f) => f.is_primary_key);
  return {
    asInputs: { connectionId, schemaId, fieldIds: keys.map((f) => f.id) },
    extras: { fieldNames: keys.map((f) => f.name ?? f.id) },
  };
}

async function write(ctx: KindContext, args: ConnectionSchemaPrimaryKeysArgs): Promise<{ id: string; view: ServerView }> {
  await ctx.client.schemas.setPrimaryKeys(args.connectionId, args.schemaId, args.fieldIds);
  const id = primaryKeysId(args.connectionId, args.schemaId);
  return { id, view: await read(ctx, id) };
}

export const connectionSchemaPrimaryKeysKind: KindSpec<ConnectionSchemaPrimaryKeysArgs> = {
  name: "ConnectionSchemaPrimaryKeys",
  schema: ConnectionSchemaPrimaryKeysArgs,
  replaceKeys: ["connectionId", "schemaId", "organizationId"],
  providerOnlyKeys: ["adoptId"],
  writeOnlyKeys: [],
  setKeys: ["fieldIds"],
  deleteBeforeReplace: false,
  body: (args) => ({ fields: args.fieldIds.map((id) => ({ field_id: id, is_primary_key: true })) }),
  crossChecks(args) {
    // Adopting names the override the inputs already point at: anything else is a typo.
    if (args.adoptId === undefined || args.adoptId === primaryKeysId(args.connectionId, args.schemaId)) return [];
    return [{ property: "adoptId", reason: `must be "${primaryKeysId(args.connectionId, args.schemaId)}" (<connectionId>/<schemaId>) or left out` }];
  },
  // A PUT of the whole set: replaying it after a crash ends in the same state, so no key is needed.
  create: (ctx, args) => write(ctx, args),
  get: read,
  update: async (ctx, _id, args) => (await write(ctx, args)).view,
  async delete(ctx, id) {
    const { connectionId, schemaId } = parseId(id);
    try {
      await ctx.client.schemas.resetPrimaryKeys(connectionId, schemaId);
    } catch (err) {
      // The connection or the schema is gone, and the override with it.
      if (!isNotFound(err)) throw err;
    }
  },
};
