/**
 * What the export writes, decided once and independent of how it is printed: one resource per
 * object (stable name, variable, arguments), in an order where every reference points back,
 * and the stack-config secrets the program asks for.
 */
import type { connections, models, syncs, webhooks } from "../../contract";
import { ArgsContext, connectionArgs, modelArgs, orgWebhookArgs, syncArgs } from "./resourceArgs";
import { Nameable, slug, uniqueNames, variableName } from "./names";
import { Code, compareText, Fields, Value } from "./values";

/** The organization as read through the API. */
export interface OrgSnapshot {
  url: string;
  organization: { id: string; name?: string };
  connections: connections.Connection[];
  models: models.Model[];
  syncs: syncs.Sync[];
  webhooks: webhooks.Webhook[];
}

export type ResourceKind = "Connection" | "Model" | "ModelSync" | "OrgWebhook";

export interface PlannedResource {
  kind: ResourceKind;
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
}

interface Item<T> {
  kind: ResourceKind;
  object: T;
  id: string;
  label: string;
  name: string;
  variable: string;
  build(object: T, ctx: ArgsContext): Fields;
}

/** Variables end with their kind, so names alike across kinds never clash; org webhooks' names already say it. */
const VARIABLE_SUFFIX: Record<ResourceKind, string> = { Connection: "Connection", Model: "Model", ModelSync: "Sync", OrgWebhook: "" };
const NOUN: Record<ResourceKind, string> = { Connection: "connection", Model: "model", ModelSync: "sync", OrgWebhook: "org webhook" };

/** Names and variables for one kind: from the object's name, unique within the kind. */
function itemsOf<T extends { id: string; created_at?: string }>(
  kind: ResourceKind,
  objects: readonly T[],
  nameOf: (object: T) => string | undefined,
  build: Item<T>["build"],
): Item<T>[] {
  const nameables: Nameable[] = objects.map((o) => ({ id: o.id, base: slug(nameOf(o) ?? "") || slug(NOUN[kind]), rank: o.created_at ?? "" }));
  const names = uniqueNames(nameables);
  return objects
    .map((object) => {
      const name = names.get(object.id) as string;
      const shown = nameOf(object);
      return {
        kind,
        object,
        id: object.id,
        label: shown === undefined ? `${NOUN[kind]} ${object.id}` : `${NOUN[kind]} ${JSON.stringify(shown)}`,
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
  const items: Item<any>[] = [
    ...itemsOf("Connection", org.connections, (c) => c.name, connectionArgs),
    ...itemsOf("Model", org.models, (m) => m.name, modelArgs),
    ...orderSyncs(itemsOf("ModelSync", org.syncs, (s) => s.name, syncArgs)),
    ...itemsOf("OrgWebhook", org.webhooks, () => undefined, orgWebhookArgs),
  ];

  const declared = new Map<string, string>(); // object id -> variable, once its resource is written
  const secrets: (PlannedSecret & { code: Code; resourceName: string })[] = [];
  const resources: PlannedResource[] = [];
  for (const item of items) {
    const undeclared: string[] = [];
    const ref = (kind: ResourceKind) => (id: string): Value => {
      const variable = declared.get(`${kind}/${id}`);
      if (variable) return new Code(`${variable}.id`);
      undeclared.push(`a reference to ${NOUN[kind]} ${id}, which ${kind === "ModelSync" ? "is declared later (a cycle)" : "the organization does not list"}: kept as an id`);
      return id;
    };
    const ctx: ArgsContext = {
      connection: ref("Connection"),
      model: ref("Model"),
      sync: ref("ModelSync"),
      secret: (property) => {
        // The key is settled below, once every secret is known (keys must be unique).
        const code = new Code("");
        secrets.push({ configKey: "", label: item.label, property, code, resourceName: item.name });
        return code;
      },
      // Polytomic's PUT replaces the whole object: what is not declared is not sent.
      note: (member) => undeclared.push(`${member}: no input for it, an update would clear it`),
    };
    const args = item.build(item.object, ctx);
    resources.push({ kind: item.kind, name: item.name, variable: item.variable, objectId: item.id, label: item.label, args, undeclared });
    declared.set(`${item.kind}/${item.id}`, item.variable);
  }

  // Named after the object: `<resource name>-<property>`, e.g. `contacts-bucket-service-account`.
  const keys = uniqueNames(
    secrets.map((s, i) => ({ id: String(i), base: `${s.resourceName}-${slug(s.property.replace(/^sensitiveConfiguration\./, ""), 64)}`, rank: "" })),
  );
  secrets.forEach((secret, i) => {
    secret.configKey = keys.get(String(i)) as string;
    secret.code.text = `config.requireSecret(${JSON.stringify(secret.configKey)})`;
  });
  return { resources, secrets: secrets.map(({ configKey, label, property }) => ({ configKey, label, property })) };
}
