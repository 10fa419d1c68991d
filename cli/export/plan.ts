/**
 * What the export writes, decided once and independent of how it is printed: one resource per
 * object (stable name, variable, arguments), in an order where every reference points back,
 * and the stack-config secrets the program asks for.
 */
import type { connections, models, permissions, syncs, users, webhooks } from "../../contract";
import { SUBSCRIBERS_ID } from "../../providers/runtime/kinds/globalErrorSubscribers";
import {
  ArgsContext,
  bulkSyncArgs,
  BulkSyncSnapshot,
  PrimaryKeySnapshot,
  primaryKeysArgs,
  connectionArgs,
  connectionClass,
  errorSubscribersArgs,
  modelArgs,
  orgWebhookArgs,
  policyArgs,
  roleArgs,
  syncArgs,
  userArgs,
} from "./resourceArgs";
import { KIND_NOUN, Nameable, objectLabel, slug, uniqueNames, variableName } from "./names";
import { Code, compareText, Fields, Value } from "./values";

/** The organization as read through the API. */
export interface OrgSnapshot {
  url: string;
  organization: { id: string; name?: string };
  connections: connections.Connection[];
  models: models.Model[];
  syncs: syncs.Sync[];
  webhooks: webhooks.Webhook[];
  /** Every role, built-in ones included (only custom ones are written). */
  roles?: permissions.Role[];
  /** Every policy, built-in ones included (only custom ones are written). */
  policies?: permissions.Policy[];
  /** The organization's global error subscribers (written when there are any). */
  errorSubscribers?: string[];
  /** The organization's users: read only when asked for (`--include-users`, a partner key). */
  users?: users.User[];
  /** Bulk syncs, each with its schemas read in full. */
  bulkSyncs?: BulkSyncSnapshot[];
  /** The primary keys of the connections' schemas: read only when asked for (`--include-primary-keys`). */
  primaryKeys?: PrimaryKeySnapshot[];
}

export type ResourceKind =
  | "Role"
  | "Policy"
  | "User"
  | "Connection"
  | "ConnectionSchemaPrimaryKeys"
  | "Model"
  | "ModelSync"
  | "BulkSync"
  | "OrgWebhook"
  | "GlobalErrorSubscribers";

/** The package's exports the program imports besides the resource classes. */
const GET_ROLE = "getRoleOutput";

export interface PlannedResource {
  kind: ResourceKind;
  /** The class written: the kind's, or a typed connection class (`PostgresqlConnection`). */
  className: string;
  /** The Pulumi resource name. */
  name: string;
  /** The TypeScript variable holding it. */
  variable: string;
  objectId: string;
  /** `connection "GCS prod"`: how messages and comments name the object. */
  label: string;
  args: Fields;
  /** What the object holds that the resource cannot declare. */
  undeclared: string[];
}

export interface PlannedSecret {
  /** The key in the program's stack config (its project namespace). */
  configKey: string;
  /** The object it belongs to, e.g. `connection "GCS prod"`. */
  label: string;
  /** Where it goes in the resource's arguments. */
  property: string;
}

export interface ExportPlan {
  resources: PlannedResource[];
  secrets: PlannedSecret[];
  /** What the program imports from the package (classes and lookups), sorted. */
  imports: string[];
}

interface Item<T> {
  kind: ResourceKind;
  className: string;
  object: T;
  id: string;
  label: string;
  name: string;
  variable: string;
  build(object: T, ctx: ArgsContext): Fields;
}

/** Variables end with their kind, so names alike across kinds never clash; org webhooks' names already say it. */
const VARIABLE_SUFFIX: Record<ResourceKind, string> = {
  Role: "Role",
  Policy: "Policy",
  User: "User",
  Connection: "Connection",
  ConnectionSchemaPrimaryKeys: "PrimaryKeys",
  Model: "Model",
  ModelSync: "Sync",
  BulkSync: "BulkSync",
  OrgWebhook: "",
  GlobalErrorSubscribers: "",
};

/** Names and variables for one kind: from the object's name, unique within the kind. */
function itemsOf<T extends { id: string; created_at?: string }>(
  kind: ResourceKind,
  objects: readonly T[],
  nameOf: (object: T) => string | undefined,
  build: Item<T>["build"],
  classOf: (object: T) => string = () => kind,
): Item<T>[] {
  const nameables: Nameable[] = objects.map((o) => ({ id: o.id, base: slug(nameOf(o) ?? "") || slug(KIND_NOUN[kind]), rank: o.created_at ?? "" }));
  const names = uniqueNames(nameables);
  return objects
    .map((object) => {
      const name = names.get(object.id) as string;
      const shown = nameOf(object);
      return {
        kind,
        className: classOf(object),
        object,
        id: object.id,
        label: objectLabel(kind, shown, object.id),
        name,
        variable: variableName(name, VARIABLE_SUFFIX[kind]),
        build,
      };
    })
    .sort((a, b) => compareText(a.name, b.name));
}

/**
 * Syncs that run after other syncs come after them, so their references point back; otherwise
 * by name. A cycle (possible in the API, never runnable) is broken by name: that reference stays an id.
 */
function orderSyncs(items: Item<syncs.Sync>[]): Item<syncs.Sync>[] {
  const exported = new Set(items.map((i) => i.id));
  const after = (item: Item<syncs.Sync>) => (item.object.schedule.run_after?.sync_ids ?? []).filter((id) => exported.has(id) && id !== item.id);
  const placed = new Set<string>();
  const ordered: Item<syncs.Sync>[] = [];
  const remaining = [...items];
  while (remaining.length > 0) {
    const index = Math.max(0, remaining.findIndex((item) => after(item).every((id) => placed.has(id))));
    const [next] = remaining.splice(index, 1);
    placed.add(next.id);
    ordered.push(next);
  }
  return ordered;
}

export function planExport(org: OrgSnapshot): ExportPlan {
  // Built-in roles and policies are in every organization: never written, referred to instead.
  const builtInRoles = new Map((org.roles ?? []).filter((r) => r.system).map((r) => [r.id, r.name]));
  const builtInPolicies = new Set((org.policies ?? []).filter((p) => p.system).map((p) => p.id));
  const connectionNames = new Map(org.connections.map((c) => [c.id, c.name]));
  const subscribers = (org.errorSubscribers ?? []).length > 0 ? [{ id: SUBSCRIBERS_ID, emails: org.errorSubscribers ?? [] }] : [];
  const items: Item<any>[] = [
    ...itemsOf("Role", (org.roles ?? []).filter((r) => !r.system), (r) => r.name, roleArgs),
    ...itemsOf("Policy", (org.policies ?? []).filter((p) => !p.system), (p) => p.name, policyArgs),
    ...itemsOf("User", org.users ?? [], (u) => u.email, userArgs),
    ...itemsOf("Connection", org.connections, (c) => c.name, connectionArgs, connectionClass),
    ...itemsOf("ConnectionSchemaPrimaryKeys", org.primaryKeys ?? [], (k) => `${connectionNames.get(k.connection_id) ?? ""} ${k.schema_id}`, primaryKeysArgs),
    ...itemsOf("Model", org.models, (m) => m.name, modelArgs),
    ...orderSyncs(itemsOf("ModelSync", org.syncs, (s) => s.name, syncArgs)),
    ...itemsOf("BulkSync", org.bulkSyncs ?? [], (b) => b.name, bulkSyncArgs),
    ...itemsOf("OrgWebhook", org.webhooks, () => undefined, orgWebhookArgs),
    ...itemsOf("GlobalErrorSubscribers", subscribers, () => undefined, errorSubscribersArgs),
  ];
  const imports = new Set<string>();

  const declared = new Map<string, string>(); // object id -> variable, once its resource is written
  const secrets: (PlannedSecret & { code: Code; resourceName: string; key: string; object: boolean })[] = [];
  const resources: PlannedResource[] = [];
  for (const item of items) {
    const undeclared: string[] = [];
    const ref = (kind: ResourceKind) => (id: string): Value => {
      const variable = declared.get(`${kind}/${id}`);
      if (variable) return new Code(`${variable}.id`);
      undeclared.push(`a reference to ${KIND_NOUN[kind]} ${id}, which ${kind === "ModelSync" ? "is declared later (a cycle)" : "the organization does not list"}: kept as an id`);
      return id;
    };
    const role = (id: string): Value => {
      const name = builtInRoles.get(id);
      if (name === undefined) return ref("Role")(id);
      // Looked up by name when the program runs: the same built-in role in every organization.
      imports.add(GET_ROLE);
      return new Code(`${GET_ROLE}({ name: ${JSON.stringify(name)} }).id`);
    };
    const ctx: ArgsContext = {
      connection: ref("Connection"),
      model: ref("Model"),
      sync: ref("ModelSync"),
      role,
      // A built-in policy is the same in every program run against this organization: its id.
      policy: (id) => (builtInPolicies.has(id) ? id : ref("Policy")(id)),
      secret: (property, opts = {}) => {
        // The key is settled below, once every secret is known (keys must be unique).
        const code = new Code("");
        const key = opts.key ?? property.replace(/^sensitiveConfiguration\./, "");
        secrets.push({ configKey: "", label: item.label, property, code, resourceName: item.name, key, object: opts.object ?? false });
        return code;
      },
      // Polytomic's PUT replaces the whole object: what is not declared is not sent.
      note: (member) => undeclared.push(`${member}: no input for it, an update would clear it`),
    };
    const args = item.build(item.object, ctx);
    imports.add(item.className);
    resources.push({ kind: item.kind, className: item.className, name: item.name, variable: item.variable, objectId: item.id, label: item.label, args, undeclared });
    declared.set(`${item.kind}/${item.id}`, item.variable);
  }

  // Named after the object: `<resource name>-<property>`, e.g. `contacts-bucket-service-account`.
  const keys = uniqueNames(
    secrets.map((s, i) => ({ id: String(i), base: `${s.resourceName}-${slug(s.key, 64)}`, rank: "" })),
  );
  secrets.forEach((secret, i) => {
    secret.configKey = keys.get(String(i)) as string;
    // A structured secret (a list of query parameters) is set as JSON: `pulumi config set --secret --path` or a JSON string.
    secret.code.text = `config.${secret.object ? "requireSecretObject<any>" : "requireSecret"}(${JSON.stringify(secret.configKey)})`;
  });
  return {
    resources,
    secrets: secrets.map(({ configKey, label, property }) => ({ configKey, label, property })),
    imports: [...imports].sort(compareText),
  };
}
