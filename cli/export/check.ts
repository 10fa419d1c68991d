/**
 * `polytomic-export --check <dir>`: the drift between a live organization and what the Pulumi
 * program in `<dir>` manages, decided from the program's stack *state*, never from its text, so
 * a program edited or refactored after its export is checked as correctly as a fresh one.
 *
 * - managed: every resource of type `pulumi-nodejs:dynamic/polytomic:*` in the state, by id, with
 *   the inputs it declared (the providers keep them in the outputs: providers/README.md);
 * - unmanaged: a live object whose id no resource holds (made in the UI), printed with the lines
 *   `npm run export` would write for it (the export's own plan and renderer);
 * - gone: a managed id the organization no longer lists (deleted in the UI);
 * - changed: a declared field whose live value differs, the live object laid over what was
 *   declared the way the providers' `read` does (kinds' `asInputs`, `projectOnto`): fields not
 *   declared never count, and a secret shows only as "changed", never its value, and only when
 *   the API shows a value at all (masked values and write-only secrets cannot be compared).
 *
 * With a partner key, every organization the state declares (`Organization` resources, and the
 * `organizationId` of the objects inside them: examples/multi-tenant) is read with the key scoped
 * to it, and reported on its own. Only reads: the same calls as the export, plus the partner's
 * organization list.
 */
import type { PolytomicClient } from "../../client";
import { isNotFound, PolytomicApiError, PolytomicNetworkError } from "../../client";
import type { KindContext, KindSpec, ServerView } from "../../providers/runtime/kind";
import { bulkSyncKind } from "../../providers/runtime/kinds/bulkSync";
import { connectionKind } from "../../providers/runtime/kinds/connection";
import { connectionSchemaPrimaryKeysKind } from "../../providers/runtime/kinds/connectionSchemaPrimaryKeys";
import { globalErrorSubscribersKind, SUBSCRIBERS_ID } from "../../providers/runtime/kinds/globalErrorSubscribers";
import { policyKind } from "../../providers/runtime/kinds/policy";
import { roleKind } from "../../providers/runtime/kinds/role";
import { userKind } from "../../providers/runtime/kinds/user";
import { modelKind } from "../../providers/runtime/kinds/model";
import { modelSyncKind } from "../../providers/runtime/kinds/modelSync";
import { orgWebhookKind } from "../../providers/runtime/kinds/orgWebhook";
import { organizationKind } from "../../providers/runtime/kinds/organization";
import { projectOnto, sameValue } from "../../providers/runtime/shape";
import type { Lines } from "../args";
import { OrgSnapshot, planExport, ResourceKind } from "./plan";
import { objectLabel } from "./names";
import { ExportClient, readOrganization } from "./read";
import { resourceText } from "./render";

/** The type tokens of the resources a state holds (providers/README.md). */
const TYPE_PREFIX = "pulumi-nodejs:dynamic/polytomic:";
/** How Pulumi marks a secret value in `pulumi stack export`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** The exit codes of `--check`. */
export const CHECK_EXIT = { clean: 0, drift: 1, cannotCheck: 2 } as const;

/** One resource of `pulumi stack export`'s `deployment.resources`. */
export interface StateResource {
  type: string;
  urn: string;
  id?: string;
  outputs?: Record<string, unknown>;
}

/** What the check reads from the program's stack. */
export interface StackSnapshot {
  /** For messages: the stack named, or the folder's selected one. */
  stack: string;
  resources: StateResource[];
  /** The stack config, secrets in clear (kept in memory): `polytomic:url`, `polytomic:apiKey`, `polytomic:partnerKey`. */
  config: Record<string, string | undefined>;
}

/** The calls the check makes: the export's reads, and a partner's organizations (with a partner key only). */
export type CheckClient = ExportClient & {
  organizations?: Pick<PolytomicClient["organizations"], "list">;
  /** A managed schema's primary key (read only where the program manages one). */
  schemas?: Pick<PolytomicClient["schemas"], "get">;
};

export interface CheckDeps extends Lines {
  createClient(opts: { baseUrl: string; apiKey: string; organizationId?: string }): CheckClient;
  env: NodeJS.ProcessEnv;
}

/** A reason the check could not be made (exit 2), on one line. */
export class CannotCheck extends Error {}

const KINDS: Record<ResourceKind | "Organization", KindSpec> = {
  Role: roleKind as unknown as KindSpec,
  Policy: policyKind as unknown as KindSpec,
  User: userKind as unknown as KindSpec,
  GlobalErrorSubscribers: globalErrorSubscribersKind as unknown as KindSpec,
  Connection: connectionKind as unknown as KindSpec,
  ConnectionSchemaPrimaryKeys: connectionSchemaPrimaryKeysKind as unknown as KindSpec,
  Model: modelKind as unknown as KindSpec,
  ModelSync: modelSyncKind as unknown as KindSpec,
  BulkSync: bulkSyncKind as unknown as KindSpec,
  OrgWebhook: orgWebhookKind as unknown as KindSpec,
  Organization: organizationKind as unknown as KindSpec,
};

/** A value that was a secret in the state: compared in clear, never printed. */
class Secret {
  constructor(readonly value: unknown) {}
}

/** State outputs with Pulumi's secret envelopes opened (`--show-secrets`) and marked. */
function openSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(openSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] !== undefined) {
      if (typeof record.plaintext !== "string") return new Secret(undefined);
      return new Secret(JSON.parse(record.plaintext));
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, openSecrets(v)]));
  }
  return value;
}

/** The plain value, secrets in clear. */
function reveal(value: unknown): unknown {
  if (value instanceof Secret) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Secret);

/** One field changed outside the program: declared (state) and live, or only "changed" for a secret. */
export interface FieldChange {
  path: string;
  declared?: unknown;
  live?: unknown;
  secret: boolean;
}

const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** The leaves where `live` differs from `declared` (declared may hold marked secrets, reported masked). */
function fieldChanges(declared: unknown, live: unknown, path: string, out: FieldChange[]): void {
  if (sameValue(reveal(declared), live)) return;
  if (isRecord(declared) && isRecord(live)) {
    for (const key of [...new Set([...Object.keys(declared), ...Object.keys(live)])].sort()) fieldChanges(declared[key], live[key], join(path, key), out);
    return;
  }
  if (Array.isArray(declared) && Array.isArray(live) && declared.length === live.length) {
    declared.forEach((item, i) => fieldChanges(item, live[i], join(path, i), out));
    return;
  }
  out.push(containsSecret(declared) ? { path, secret: true } : { path, declared, live, secret: false });
}

function containsSecret(value: unknown): boolean {
  if (value instanceof Secret) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (isRecord(value)) return Object.values(value).some(containsSecret);
  return false;
}

/** Declared inputs (state outputs) against the live object's view, as the providers' `read` lays one over the other. */
export function declaredChanges(kind: KindSpec, outputs: Record<string, unknown>, live: ServerView): FieldChange[] {
  const declared = openSecrets(outputs) as Record<string, unknown>;
  const changes: FieldChange[] = [];
  for (const key of Object.keys(kind.schema.shape)) {
    if (kind.providerOnlyKeys.includes(key) || declared[key] === undefined) continue;
    const projected = projectOnto(reveal(declared[key]), live.asInputs[key]);
    fieldChanges(declared[key], projected, key, changes);
  }
  return changes;
}

interface Managed {
  kind: keyof typeof KINDS;
  id: string;
  /** The Pulumi resource name (the URN's last part). */
  resource: string;
  outputs: Record<string, unknown>;
}

/** What one organization's check found. */
export interface OrganizationReport {
  /** `organization "acme" (id)`, or the API key's own organization. */
  title: string;
  managed: number;
  unmanaged: { label: string; id: string; kind: string; lines: string }[];
  gone: { label: string; id: string; resource: string }[];
  changed: { label: string; id: string; resource: string; fields: FieldChange[] }[];
}

const driftCount = (r: OrganizationReport) => r.unmanaged.length + r.gone.length + r.changed.length;

function managedOf(resources: readonly StateResource[]): Managed[] {
  return resources.flatMap((r) => {
    if (!r.type.startsWith(TYPE_PREFIX) || !r.id) return [];
    const kind = r.type.slice(TYPE_PREFIX.length);
    if (!Object.hasOwn(KINDS, kind)) return [];
    return [{ kind: kind as keyof typeof KINDS, id: r.id, resource: r.urn.split("::").pop() ?? r.urn, outputs: r.outputs ?? {} }];
  });
}

function labelOf(m: Managed): string {
  // A user is named by its email, as the export names it.
  return objectLabel(m.kind, reveal(openSecrets(m.kind === "User" ? m.outputs.email : m.outputs.name)), m.id);
}

/**
 * The organization as the kinds read it, served from what was already read (list answers for
 * connections, models and the webhook, each sync in full): the check asks the API nothing twice.
 */
function snapshotContext(org: OrgSnapshot, live: CheckClient): KindContext {
  const lookup =
    <T extends { id: string }>(list: readonly T[]) =>
    async (id: string): Promise<T> => {
      const found = list.find((o) => o.id === id);
      if (!found) throw new PolytomicApiError(`get ${id}`, 404, "not found", undefined, undefined);
      return found;
    };
  const client = {
    connections: { get: lookup(org.connections) },
    models: { get: lookup(org.models) },
    syncs: { get: lookup(org.syncs) },
    webhooks: { get: lookup(org.webhooks) },
    roles: { get: lookup(org.roles ?? []) },
    policies: { get: lookup(org.policies ?? []) },
    users: () => ({ get: lookup(org.users ?? []) }),
    globalErrorSubscribers: { get: async () => ({ emails: org.errorSubscribers ?? [] }) },
    // Schemas are not part of the organization's read: a managed one is asked for.
    schemas: live.schemas,
    bulkSyncs: {
      get: lookup(org.bulkSyncs ?? []),
      // As the list answers them (without fields and filters), which is what the kind reads.
      schemas: async (id: string) => (await lookup(org.bulkSyncs ?? [])(id)).schemas.map(({ fields: _f, filters: _r, ...rest }) => rest),
    },
  } as unknown as PolytomicClient;
  return { client, log: () => undefined, organizationId: org.organization.id };
}

/** Compares one organization's live objects with the resources of the state that live in it. */
export async function checkOrganization(
  client: CheckClient,
  url: string,
  managed: readonly Managed[],
  title?: string,
  usersClient?: Pick<ExportClient, "users">,
): Promise<OrganizationReport> {
  // Users are read only where the program manages some (their endpoints take a partner key): a
  // program exported without --include-users does not report the organization's users.
  const managesUsers = managed.some((m) => m.kind === "User");
  if (managesUsers && !usersClient) throw new CannotCheck("the program manages users: checking them takes a partner key (polytomic:partnerKey, or POLYTOMIC_PARTNER_KEY)");
  const org = await readOrganization(client, url, { usersClient: managesUsers ? usersClient : undefined });
  const live: Record<ResourceKind, { id: string }[]> = {
    Role: org.roles ?? [],
    Policy: org.policies ?? [],
    User: org.users ?? [],
    Connection: org.connections,
    Model: org.models,
    ModelSync: org.syncs,
    BulkSync: org.bulkSyncs ?? [],
    OrgWebhook: org.webhooks,
    // Read one by one above; the API cannot tell a schema's own keys from an override, so none is reported as unmanaged.
    ConnectionSchemaPrimaryKeys: [],
    // One list per organization, always there: an emptied one shows as changed, not gone.
    GlobalErrorSubscribers: [{ id: SUBSCRIBERS_ID }, { id: `${SUBSCRIBERS_ID}/${org.organization.id}` }],
  };
  const report: OrganizationReport = {
    title: title ?? `organization ${org.organization.name ? `${JSON.stringify(org.organization.name)} (${org.organization.id})` : org.organization.id}`,
    managed: managed.length,
    unmanaged: [],
    gone: [],
    changed: [],
  };
  const ctx = snapshotContext(org, client);
  /** The live object, or undefined when it is gone. */
  const liveView = async (m: Managed & { kind: ResourceKind }): Promise<ServerView | undefined> => {
    if (m.kind !== "ConnectionSchemaPrimaryKeys") return live[m.kind].some((o) => o.id === m.id) ? KINDS[m.kind].get(ctx, m.id) : undefined;
    // A schema's keys: gone with the connection, or with the schema.
    try {
      return await KINDS[m.kind].get(ctx, m.id);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  for (const m of managed) {
    if (m.kind === "Organization") continue;
    const view = await liveView(m as Managed & { kind: ResourceKind });
    if (!view) {
      report.gone.push({ label: labelOf(m), id: m.id, resource: m.resource });
      continue;
    }
    const fields = declaredChanges(KINDS[m.kind], m.outputs, view);
    if (fields.length > 0) report.changed.push({ label: labelOf(m), id: m.id, resource: m.resource, fields });
  }
  const managedIds = new Set(managed.map((m) => `${m.kind}/${m.id}`));
  const plan = planExport(org);
  for (const resource of plan.resources) {
    if (managedIds.has(`${resource.kind}/${resource.objectId}`)) continue;
    report.unmanaged.push({ label: resource.label, id: resource.objectId, kind: resource.kind, lines: resourceText(resource) });
  }
  return report;
}

/** One line for what stopped the check (exit 2): the key refused, the URL unreachable... */
function cannotCheck(err: unknown, url: string, keyName: string): CannotCheck {
  if (err instanceof CannotCheck) return err;
  if (err instanceof PolytomicApiError && (err.status === 401 || err.status === 403)) {
    return new CannotCheck(`the API at ${url} refused the key (HTTP ${err.status}): check ${keyName}`);
  }
  if (err instanceof PolytomicNetworkError) return new CannotCheck(`cannot reach the API at ${url}: ${err.message}`);
  return new CannotCheck(err instanceof Error ? err.message.split("\n")[0] : String(err));
}

/** Like the providers: the stack config first, then the environment. */
function credentials(config: Record<string, string | undefined>, env: NodeJS.ProcessEnv) {
  const pick = (key: string, variable: string) =>
    config[`polytomic:${key}`] ? { value: config[`polytomic:${key}`] as string, name: `polytomic:${key}` } : env[variable] ? { value: env[variable] as string, name: variable } : undefined;
  return { url: pick("url", "POLYTOMIC_URL"), apiKey: pick("apiKey", "POLYTOMIC_API_KEY"), partnerKey: pick("partnerKey", "POLYTOMIC_PARTNER_KEY") };
}

/** Every organization's report, in order: the API key's own first, then the partner's by name. */
export async function checkStack(snapshot: StackSnapshot, deps: CheckDeps): Promise<{ url: string; reports: OrganizationReport[] }> {
  const creds = credentials(snapshot.config, deps.env);
  if (!creds.url) throw new CannotCheck(`no API URL: stack "${snapshot.stack}" has no polytomic:url, and POLYTOMIC_URL is not set`);
  const url = creds.url.value.replace(/\/+$/, "");
  const managed = managedOf(snapshot.resources);
  const reports: OrganizationReport[] = [];

  const byOrganization = new Map<string, Managed[]>();
  const own: Managed[] = [];
  for (const m of managed) {
    const orgId = m.kind === "Organization" ? m.id : reveal(openSecrets(m.outputs.organizationId));
    if (creds.partnerKey && typeof orgId === "string" && orgId !== "") {
      byOrganization.set(orgId, [...(byOrganization.get(orgId) ?? []), m]);
    } else if (m.kind !== "Organization") {
      own.push(m);
    }
  }

  // The API key's own organization: when the state has objects there, or holds nothing to say otherwise.
  if (own.length > 0 || byOrganization.size === 0) {
    if (!creds.apiKey) {
      throw new CannotCheck(`no API key: stack "${snapshot.stack}" has no polytomic:apiKey, and POLYTOMIC_API_KEY is not set`);
    }
    const client = deps.createClient({ baseUrl: url, apiKey: creds.apiKey.value });
    try {
      // An export with its users declares their organization (the key's own): one report for it, users read with the partner key.
      let usersClient: CheckClient | undefined;
      if (creds.partnerKey) {
        const ownId = (await client.me()).organization_id;
        const members = byOrganization.get(ownId);
        if (members && !members.some((m) => m.kind === "Organization")) {
          own.push(...members);
          byOrganization.delete(ownId);
        }
        usersClient = deps.createClient({ baseUrl: url, apiKey: creds.partnerKey.value, organizationId: ownId });
      }
      reports.push(await checkOrganization(client, url, own, undefined, usersClient));
    } catch (err) {
      throw cannotCheck(err, url, creds.apiKey.name);
    }
  }

  if (creds.partnerKey && byOrganization.size > 0) {
    const partnerKey = creds.partnerKey;
    const partner = deps.createClient({ baseUrl: url, apiKey: partnerKey.value });
    let organizations;
    try {
      if (!partner.organizations) throw new CannotCheck("this client cannot list a partner's organizations");
      organizations = await partner.organizations.list();
    } catch (err) {
      throw cannotCheck(err, url, partnerKey.name);
    }
    const entries = [...byOrganization.entries()].map(([id, members]) => {
      const declared = members.find((m) => m.kind === "Organization");
      const liveOrg = organizations.find((o) => o.id === id);
      const name = liveOrg?.name ?? (declared ? reveal(openSecrets(declared.outputs.name)) : undefined);
      return { id, members, declared, liveOrg, title: `organization ${typeof name === "string" ? `${JSON.stringify(name)} (${id})` : id}` };
    });
    entries.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
    for (const entry of entries) {
      const objects = entry.members.filter((m) => m.kind !== "Organization");
      if (!entry.liveOrg) {
        // Deleted, with everything in it: the objects inside are gone too.
        const gone = entry.members.map((m) => ({ label: labelOf(m), id: m.id, resource: m.resource }));
        reports.push({ title: entry.title, managed: entry.members.length, unmanaged: [], gone, changed: [] });
        continue;
      }
      const client = deps.createClient({ baseUrl: url, apiKey: partnerKey.value, organizationId: entry.id });
      let report: OrganizationReport;
      try {
        report = await checkOrganization(client, url, objects, entry.title, client);
      } catch (err) {
        throw cannotCheck(err, url, partnerKey.name);
      }
      report.managed = entry.members.length;
      if (entry.declared) {
        const view: ServerView = { asInputs: { name: entry.liveOrg.name, ssoDomain: entry.liveOrg.sso_domain, ssoOrgId: entry.liveOrg.sso_org_id, issuer: entry.liveOrg.issuer }, extras: {} };
        const fields = declaredChanges(KINDS.Organization, entry.declared.outputs, view);
        if (fields.length > 0) report.changed.unshift({ label: labelOf(entry.declared), id: entry.id, resource: entry.declared.resource, fields });
      }
      reports.push(report);
    }
  }
  return { url, reports };
}

// -------------------------------------------------------------------------------------------
// The report as text: what the terminal, the job summary and the pull request show.

const SHOWN = 60;
function shown(value: unknown): string {
  if (value === undefined || value === null) return "(none)";
  const text = JSON.stringify(value);
  return text.length > SHOWN ? `${text.slice(0, SHOWN - 1)}…` : text;
}

/** The lines of the report; the first says whether anything drifted. */
export function reportLines(dir: string, stack: string, url: string, reports: readonly OrganizationReport[]): string[] {
  const total = reports.reduce((n, r) => n + driftCount(r), 0);
  const where = `${dir} (stack ${stack})`;
  if (total === 0) {
    const managed = reports.reduce((n, r) => n + r.managed, 0);
    return [`No drift: ${url} matches ${where}: ${managed} managed object${managed === 1 ? "" : "s"}, none changed or deleted, none made outside the program.`];
  }
  const lines = [`Drift: ${total} difference${total === 1 ? "" : "s"} between ${url} and ${where}.`];
  for (const r of reports) {
    if (driftCount(r) === 0) {
      lines.push("", `${r.title}: no drift.`);
      continue;
    }
    lines.push("", `${r.title}:`);
    if (r.unmanaged.length > 0) {
      lines.push(`  Not managed by the program (made outside it), ${r.unmanaged.length}:`);
      for (const u of r.unmanaged) {
        lines.push(`    ${u.label} (${u.kind}, id ${u.id}); npm run export would write:`);
        for (const line of u.lines.split("\n")) lines.push(`      ${line}`);
      }
    }
    if (r.gone.length > 0) {
      lines.push(`  Managed here, gone from Polytomic (deleted outside the program), ${r.gone.length}:`);
      for (const g of r.gone) lines.push(`    ${g.label} (id ${g.id}), resource ${g.resource}`);
    }
    if (r.changed.length > 0) {
      lines.push(`  Changed outside the program (declared | live), ${r.changed.length}:`);
      for (const c of r.changed) {
        lines.push(`    ${c.label} (id ${c.id}), resource ${c.resource}:`);
        const width = Math.max(...c.fields.map((f) => f.path.length));
        const declaredWidth = Math.max(...c.fields.map((f) => (f.secret ? 0 : shown(f.declared).length)));
        for (const f of c.fields) {
          lines.push(
            f.secret
              ? `      ${f.path.padEnd(width)}  changed (a secret: not shown)`
              : `      ${f.path.padEnd(width)}  ${shown(f.declared).padEnd(declaredWidth)} | ${shown(f.live)}`,
          );
        }
      }
    }
  }
  return lines;
}

/** Whether the reports hold any drift. */
export const hasDrift = (reports: readonly OrganizationReport[]): boolean => reports.some((r) => driftCount(r) > 0);

