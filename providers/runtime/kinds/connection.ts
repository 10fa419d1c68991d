/**
 * Connection: any type's configuration, checked against its type's schema when the snapshot of
 * Polytomic's types knows it (connectionSchema.ts); `gcs` and `webhook` are also checked in depth.
 */
import { z } from "zod";
import { connections } from "../../../contract";
import { isNotFound, PolytomicApiError } from "../../../client";
import type { Connection as ApiConnection } from "../../../contract/connections";
import type { Failure, KindContext, KindSpec, ServerView } from "../kind";
import { issuesToFailures } from "../checkFailures";
import { compact } from "../shape";
import { waitForSchema } from "../schemaWait";
import { ExpectedFailure } from "../expectedFailure";
import { mergeSecrets, readOnlyConfiguration, schemaFailures, secretsToSend, serverSetKeys } from "./connectionSchema";

export const ConnectionArgs = z.object({
  name: z.string().min(1, "must not be empty"),
  type: z.string().min(1, "must name a connection type, e.g. gcs or webhook"),
  configuration: z.record(z.string(), z.unknown()),
  // Values at any depth (a typed class keeps `basic.password` as `{ basic: { password } }`).
  sensitiveConfiguration: z.record(z.string(), z.unknown()).optional(),
  validate: z.boolean().optional(),
  healthcheckInterval: z.string().optional(),
  policies: z.array(z.string()).optional(),
  organizationId: z.string().optional(),
  keepers: z.record(z.string(), z.string()).optional(),
  schemaReadyTimeoutSeconds: z.number().min(0).max(3600).optional(),
  adoptId: z.string().min(1).optional(),
});
export type ConnectionArgs = z.infer<typeof ConnectionArgs>;

/** Types whose objects have a schema the models read (their create waits for it). */
const TYPES_WITH_SCHEMA = new Set(["gcs"]);
const DEFAULT_SCHEMA_TIMEOUT_SECONDS = 300;

function crossChecks(args: ConnectionArgs): Failure[] {
  const failures: Failure[] = [];
  const configuration = args.configuration ?? {};
  const sensitive = args.sensitiveConfiguration ?? {};
  for (const key of connections.SECRET_CONFIGURATION_KEYS[args.type] ?? []) {
    if (key in configuration) {
      failures.push({ property: `configuration.${key}`, reason: `is a secret: move it to sensitiveConfiguration.${key} (kept encrypted in state)` });
    }
  }
  for (const key of connections.SERVER_GENERATED_CONFIGURATION_KEYS[args.type] ?? []) {
    if (key in configuration || key in sensitive) {
      failures.push({ property: `configuration.${key}`, reason: "is set by Polytomic, not by you: remove it" });
    }
  }
  if (args.type === "gcs") {
    const merged = { ...configuration, ...sensitive };
    const parsed = connections.GcsConfiguration.safeParse(merged);
    if (!parsed.success) {
      for (const failure of issuesToFailures(parsed.error.issues, merged)) {
        const top = failure.property.split(/[.[]/)[0];
        const where = top in sensitive || connections.SECRET_CONFIGURATION_KEYS.gcs.includes(top) ? "sensitiveConfiguration" : "configuration";
        failures.push({ property: `${where}.${failure.property}`, reason: failure.reason });
      }
    }
    if (typeof sensitive.service_account === "string") {
      const key = connections.ServiceAccountKeyJson.safeParse(sensitive.service_account);
      if (!key.success) {
        failures.push(
          ...issuesToFailures(key.error.issues, sensitive.service_account).map((f) => ({
            property: "sensitiveConfiguration.service_account",
            reason: `must be a Google service-account key (JSON): ${f.reason}`,
          })),
        );
      }
    }
  }
  if (args.type === "webhook") {
    const parsed = connections.WebhookConfiguration.safeParse(configuration);
    if (!parsed.success) failures.push(...issuesToFailures(parsed.error.issues, configuration, ["configuration"]));
  }
  // The type's own schema; a field already reported above is not reported twice.
  const reported = new Set(failures.map((f) => f.property));
  failures.push(...schemaFailures(args.type, configuration, sensitive).filter((f) => !reported.has(f.property)));
  return failures;
}

function body(args: ConnectionArgs, secrets = args.sensitiveConfiguration) {
  return compact({
    name: args.name,
    type: args.type,
    configuration: mergeSecrets(args.configuration, secrets),
    // Like Polytomic's Terraform provider: creating a connection should not depend on the
    // upstream being reachable at that moment (a receiver deployed after the stack, say).
    validate: args.validate ?? false,
    healthcheck_interval: args.healthcheckInterval,
    policies: args.policies,
    organization_id: args.organizationId,
  });
}

function view(server: ApiConnection): ServerView {
  const { configuration, type } = server;
  const generated = [...(connections.SERVER_GENERATED_CONFIGURATION_KEYS[type.id] ?? []), ...serverSetKeys(type.id)];
  const declarable = Object.fromEntries(Object.entries(configuration).filter(([key]) => !generated.includes(key)));
  return {
    asInputs: {
      name: server.name,
      type: type.id,
      configuration: declarable,
      healthcheckInterval: server.healthcheck_interval ?? undefined,
      policies: server.policies ?? undefined,
      organizationId: server.organization_id,
    },
    extras: {
      status: server.status,
      secret: typeof configuration.secret === "string" ? configuration.secret : undefined,
      readOnlyConfiguration: readOnlyConfiguration(type.id, configuration),
    },
  };
}

async function afterWrite(ctx: KindContext, id: string, args: ConnectionArgs): Promise<void> {
  const timeout = args.schemaReadyTimeoutSeconds ?? DEFAULT_SCHEMA_TIMEOUT_SECONDS;
  if (!TYPES_WITH_SCHEMA.has(args.type) || timeout === 0) return;
  await waitForSchema(ctx, id, `connection "${args.name}" (${id})`, timeout);
}

export const connectionKind: KindSpec<ConnectionArgs> = {
  name: "Connection",
  schema: ConnectionArgs,
  replaceKeys: ["type", "organizationId", "keepers"],
  providerOnlyKeys: ["adoptId", "schemaReadyTimeoutSeconds"],
  writeOnlyKeys: ["sensitiveConfiguration"],
  deleteBeforeReplace: false,
  crossChecks,
  body,
  async list(ctx) {
    return (await ctx.client.connections.list()).map((o) => ({ id: o.id, name: o.name, created_at: o.created_at }));
  },
  async create(ctx, args, idempotencyKey) {
    const server = await ctx.client.connections.create(body(args), { idempotencyKey });
    return { id: server.id, view: view(server) };
  },
  afterWrite,
  async get(ctx, id) {
    return view(await ctx.client.connections.get(id));
  },
  async update(ctx, id, args, previous) {
    // A secret unchanged since the last update is left out: Polytomic keeps it (connectionSchema.ts).
    return view(await ctx.client.connections.update(id, body(args, secretsToSend(args.type, args.sensitiveConfiguration, previous.sensitiveConfiguration))));
  },
  async delete(ctx, id) {
    try {
      await ctx.client.connections.delete(id);
    } catch (err) {
      if (isNotFound(err)) return;
      if (err instanceof PolytomicApiError && err.status === 422) {
        const usedBy = (err.metadata?.used_by as { type?: string; name?: string; id?: string }[] | undefined) ?? [];
        const users = usedBy.map((u) => `${u.type ?? "object"} "${u.name ?? "?"}" (${u.id ?? "?"})`).join(", ");
        throw new ExpectedFailure(
          `connection ${id} is still in use${users ? ` by ${users}` : ""}: remove or repoint those first. ` +
            "This provider never force-deletes (force=true would delete them too).",
        );
      }
      throw err;
    }
  },
};
