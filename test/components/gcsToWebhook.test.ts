/**
 * The GcsToWebhook component under Pulumi mocks: which resources it registers (exact tokens,
 * names and counts), who reads what (ids wired from one resource into the next), what is secret,
 * and the explicit ordering. Providers are never called under mocks; their behaviour is tested
 * against the emulator elsewhere.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type * as components from "../../components";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const PROJECT = "polytomic-pipelines";
const STACK = "test";

/** Field names the mocked model answers with (undefined: none, as in a preview before the first up). */
let modelFieldNames: string[] | undefined;

/** The server-generated secret the mocked webhook connection returns. */
const GENERATED_WEBHOOK_SECRET = "generated-webhook-secret";

const T = {
  component: "polytomic:pipelines:GcsToWebhook",
  connection: "pulumi-nodejs:dynamic/polytomic:Connection",
  model: "pulumi-nodejs:dynamic/polytomic:Model",
  sync: "pulumi-nodejs:dynamic/polytomic:ModelSync",
  orgWebhook: "pulumi-nodejs:dynamic/polytomic:OrgWebhook",
  bucket: "gcp:storage/bucket:Bucket",
  account: "gcp:serviceaccount/account:Account",
  key: "gcp:serviceaccount/key:Key",
  bucketIamMember: "gcp:storage/bucketIAMMember:BucketIAMMember",
  object: "gcp:storage/bucketObject:BucketObject",
} as const;

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, any>;
  parent: string;
  dependencies: string[];
  protect: boolean;
}

let registrations: Registration[] = [];
let GcsToWebhook: typeof components.GcsToWebhook;
let tmp: string;
let csvPath: string;

// The mock monitor hands newResource no parent, dependencies or options: record them from the
// request itself (a test-only wrap of the SDK's MockMonitor).
const requestDetails = new Map<string, { parent: string; dependencies: string[]; protect: boolean }>();
const urns = new Map<string, string>();

/** Base64 of a key file, like `gcp.serviceaccount.Key.privateKey`. */
function keyFileFor(email: string): string {
  return JSON.stringify({ type: "service_account", project_id: "demo-project", client_email: email, private_key: "mock" });
}

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
  const register = MockMonitor.prototype.registerResource;
  MockMonitor.prototype.registerResource = function (req: any, callback: any) {
    const key = `${req.getType()}::${req.getName()}`;
    requestDetails.set(key, {
      parent: req.getParent(),
      // Every Polytomic resource also depends on the state's idempotency salt (providers/salt.ts): not the component's wiring.
      dependencies: req.getDependenciesList().filter((urn: string) => !urn.includes("dynamic/polytomic-state:IdempotencySalt::")),
      protect: req.getProtect() === true,
    });
    return register.call(this, req, (err: unknown, response: any) => {
      if (response) urns.set(key, response.getUrn());
      callback(err, response);
    });
  };

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        // The state's idempotency salt belongs to the providers (one per stack, no parent), not to the component.
        if (args.type === "pulumi-nodejs:dynamic/polytomic-state:IdempotencySalt") return { id: "salt", state: { value: "mock-salt" } };
        const extra: Record<string, unknown> = {};
        if (args.type === T.bucket) extra.name = args.inputs.name ?? `${args.name}-0a1b2c3`;
        if (args.type === T.account) {
          extra.email = `${args.inputs.accountId}@demo-project.iam.gserviceaccount.com`;
          extra.name = `projects/demo-project/serviceAccounts/${extra.email}`;
        }
        if (args.type === T.key) {
          const email = String(args.inputs.serviceAccountId).split("/").pop();
          extra.privateKey = Buffer.from(keyFileFor(String(email))).toString("base64");
        }
        if (args.type === T.connection && args.inputs.type === "webhook") extra.secret = GENERATED_WEBHOOK_SECRET;
        if (args.type === T.model && modelFieldNames) extra.fieldNames = modelFieldNames;
        const details = requestDetails.get(`${args.type}::${args.name}`);
        registrations.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          parent: details?.parent ?? "",
          dependencies: details?.dependencies ?? [],
          protect: details?.protect ?? false,
        });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...extra } };
      },
      call(args) {
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    PROJECT,
    STACK,
    false,
  );
  // Imported after setMocks, so every resource registers with the mock monitor.
  ({ GcsToWebhook } = await import("../../components"));

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gcs-to-webhook-"));
  csvPath = path.join(tmp, "high_paying_users.csv");
  fs.writeFileSync(csvPath, "email_address,first_name,last_name\nada@example.com,Ada,Lovelace\n");
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeEach(() => {
  registrations = [];
});

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Waits until every child the component exposes has registered. */
async function settled(component: components.GcsToWebhook): Promise<void> {
  const children: pulumi.CustomResource[] = [
    component.gcsConnection,
    component.webhookConnection,
    component.model,
    ...Object.values(component.modelSyncs),
    ...(component.orgWebhook ? [component.orgWebhook] : []),
    ...(component.gcs ? Object.values(component.gcs) : []),
  ];
  await value(pulumi.all(children.map((child) => child.id)));
  await value(component.urn);
}

function only(type: string, name?: string): Registration {
  const found = registrations.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found.map((r) => `${r.type}::${r.name}`)).toHaveLength(1);
  return found[0];
}

function isSecretWrapped(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** The value at `path`, and whether a secret wrapper was crossed on the way. */
function at(v: unknown, ...keys: string[]): { secret: boolean; value: unknown } {
  let secret = false;
  let current = v;
  const unwrap = () => {
    while (isSecretWrapped(current)) {
      secret = true;
      current = (current as { value: unknown }).value;
    }
  };
  unwrap();
  for (const key of keys) {
    current = (current as Record<string, unknown>)[key];
    unwrap();
  }
  return { secret, value: current };
}

function urnOf(type: string, name: string): string {
  only(type, name);
  const urn = urns.get(`${type}::${name}`);
  expect(urn, `${type}::${name}`).toBeDefined();
  return urn!;
}

const existingArgs = (key: string): components.GcsToWebhookArgs => ({
  existing: { bucketName: "polytomic-demo", serviceAccountKey: key },
  receiverUrl: "http://127.0.0.1:8788/records",
});

describe("GcsToWebhook, create mode", () => {
  const createArgs = (): components.GcsToWebhookArgs => ({
    create: { location: "EU", project: "demo-project", csvPath },
    receiverUrl: "https://hooks.example.com/records",
  });

  it("registers exactly the Google Cloud and Polytomic resources, all children of the component", async () => {
    const pipeline = new GcsToWebhook("Pipe", createArgs());
    await settled(pipeline);

    expect(registrations.map((r) => `${r.type}::${r.name}`).sort()).toEqual(
      [
        `${T.component}::Pipe`,
        `${T.bucket}::pipe-data`,
        `${T.account}::pipe-reader`,
        `${T.key}::pipe-reader-key`,
        `${T.bucketIamMember}::pipe-reader-access`,
        `${T.object}::pipe-csv`,
        `${T.connection}::Pipe-gcs`,
        `${T.connection}::Pipe-webhook`,
        `${T.model}::Pipe-model`,
        `${T.sync}::Pipe-sync`,
      ].sort(),
    );
    const componentUrn = urnOf(T.component, "Pipe");
    expect(componentUrn).toBe(`urn:pulumi:${STACK}::${PROJECT}::${T.component}::Pipe`);
    for (const child of registrations.filter((r) => r.type !== T.component)) {
      expect(child.parent, child.name).toBe(componentUrn);
    }
  });

  it("creates a locked-down bucket and uploads the CSV into it", async () => {
    const pipeline = new GcsToWebhook("b", { ...createArgs(), create: { ...createArgs().create!, forceDestroy: true } });
    await settled(pipeline);
    const bucket = only(T.bucket);
    expect(bucket.inputs).toMatchObject({
      location: "EU",
      project: "demo-project",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: true,
    });
    const object = only(T.object);
    expect(object.inputs.bucket).toBe("b-data-0a1b2c3");
    expect(object.inputs.name).toBe("high_paying_users.csv");
    expect(object.inputs.source).toBeInstanceOf(pulumi.asset.FileAsset);
    expect(await (object.inputs.source as pulumi.asset.FileAsset).path).toBe(csvPath);
    expect(await value(pipeline.bucketName)).toBe("b-data-0a1b2c3");
  });

  it("keeps data by default: forceDestroy is false", async () => {
    await settled(new GcsToWebhook("keep", createArgs()));
    expect(only(T.bucket).inputs.forceDestroy).toBe(false);
  });

  it("grants objectViewer on this bucket only, to this account only", async () => {
    const pipeline = new GcsToWebhook("iam", { ...createArgs(), namePrefix: "acme-prod" });
    await settled(pipeline);
    const account = only(T.account);
    expect(account.inputs.accountId).toBe("acme-prod-reader");
    const email = "acme-prod-reader@demo-project.iam.gserviceaccount.com";
    expect(await value(pipeline.serviceAccountEmail)).toBe(email);
    expect(only(T.key).inputs.serviceAccountId).toBe(`projects/demo-project/serviceAccounts/${email}`);

    const grant = only(T.bucketIamMember);
    expect(grant.inputs).toEqual({ bucket: "iam-data-0a1b2c3", role: "roles/storage.objectViewer", member: `serviceAccount:${email}` });
    // No other grant anywhere: no project-level IAM, no second binding.
    expect(registrations.filter((r) => /iam/i.test(r.type)).map((r) => r.type)).toEqual([T.bucketIamMember]);
  });

  it("hands the decoded key file to the gcs connection as a secret, and only there", async () => {
    const pipeline = new GcsToWebhook("key", createArgs());
    await settled(pipeline);
    const keyFile = keyFileFor("key-reader@demo-project.iam.gserviceaccount.com");
    // Default account id from the prefix (the component name here).
    expect(only(T.account).inputs.accountId).toBe("key-reader");

    const gcs = only(T.connection, "key-gcs");
    expect(gcs.inputs.type).toBe("gcs");
    expect(at(gcs.inputs, "configuration")).toEqual({ secret: false, value: { bucket: "key-data-0a1b2c3" } });
    expect(at(gcs.inputs, "sensitiveConfiguration", "service_account")).toEqual({ secret: true, value: keyFile });

    const elsewhere = registrations.filter((r) => r !== gcs);
    expect(JSON.stringify(elsewhere.map((r) => r.inputs))).not.toContain("private_key");
  });

  it("orders the Polytomic side after the object and the read access", async () => {
    await settled(new GcsToWebhook("ord", createArgs()));
    const access = urnOf(T.bucketIamMember, "ord-reader-access");
    const object = urnOf(T.object, "ord-csv");
    const gcs = only(T.connection, "ord-gcs");
    expect(gcs.dependencies).toEqual(expect.arrayContaining([access, object]));

    const model = only(T.model);
    expect(model.inputs.connectionId).toBe("ord-gcs-id");
    expect(model.dependencies).toEqual(expect.arrayContaining([urnOf(T.connection, "ord-gcs"), access, object]));
  });
});

describe("GcsToWebhook, existing mode", () => {
  const key = JSON.stringify({ type: "service_account", project_id: "p", client_email: "r@p.iam.gserviceaccount.com" });

  it("creates no Google Cloud resource", async () => {
    const pipeline = new GcsToWebhook("ex", existingArgs(key));
    await settled(pipeline);
    expect(registrations.filter((r) => r.type.startsWith("gcp:"))).toEqual([]);
    expect(registrations.map((r) => r.type).sort()).toEqual([T.component, T.connection, T.connection, T.model, T.sync].sort());
    expect(pipeline.gcs).toBeUndefined();
    // Taken from the key file: an identity, not a credential, so not a secret.
    expect(await value(pipeline.serviceAccountEmail)).toBe("r@p.iam.gserviceaccount.com");
    expect(await pulumi.isSecret(pipeline.serviceAccountEmail)).toBe(false);
    expect(await value(pipeline.bucketName)).toBe("polytomic-demo");
  });

  it("makes a plain key secret before it reaches the gcs connection", async () => {
    await settled(new GcsToWebhook("sec", existingArgs(key)));
    const gcs = only(T.connection, "sec-gcs");
    expect(at(gcs.inputs, "configuration")).toEqual({ secret: false, value: { bucket: "polytomic-demo" } });
    expect(at(gcs.inputs, "sensitiveConfiguration", "service_account")).toEqual({ secret: true, value: key });
    // Nothing to wait for in Google Cloud: the connection depends on nothing.
    expect(gcs.dependencies).toEqual([]);
  });

  it("builds the model over the CSV and the sync from the model to the webhook", async () => {
    const pipeline = new GcsToWebhook("wire", { ...existingArgs(key), existing: { bucketName: "b-1", serviceAccountKey: key, objectName: "in/contacts.csv" } });
    await settled(pipeline);

    const webhook = only(T.connection, "wire-webhook");
    expect(webhook.inputs).toMatchObject({ name: "wire-webhook", type: "webhook", configuration: { url: "http://127.0.0.1:8788/records" } });

    const model = only(T.model);
    expect(model.inputs).toMatchObject({
      name: "wire-model",
      connectionId: "wire-gcs-id",
      configuration: { model_from: "single_file", key: "in/contacts.csv", file_format: "csv" },
    });
    expect(model.dependencies).toContain(urnOf(T.connection, "wire-gcs"));

    const sync = only(T.sync);
    expect(sync.inputs).toMatchObject({
      name: "wire-sync",
      mode: "updateOrCreate",
      schedule: { frequency: "manual" },
      active: true,
      target: { connectionId: "wire-webhook-id", object: "http", configuration: { batch_size: 100, record_requests: true } },
      // Polytomic's webhook syncs: every field's target is "record"; the column's name is the record key.
      fields: [
        { target: "record", source: { modelId: "wire-model-id", field: "email_address" } },
        { target: "record", source: { modelId: "wire-model-id", field: "first_name" } },
        { target: "record", source: { modelId: "wire-model-id", field: "last_name" } },
      ],
    });
    expect("metadata" in sync.inputs.target.configuration).toBe(false);
    expect(registrations.some((r) => r.type === T.orgWebhook)).toBe(false);

    expect(await value(pipeline.gcsConnectionId)).toBe("wire-gcs-id");
    expect(await value(pipeline.webhookConnectionId)).toBe("wire-webhook-id");
    expect(await value(pipeline.modelId)).toBe("wire-model-id");
    expect(await value(pipeline.syncId)).toBe("wire-sync-id");
    expect(await value(pipeline.syncs)).toEqual({ sync: "wire-sync-id" });
    expect(await value(pipeline.orgWebhookId)).toBeUndefined();
  });

  it("exposes the webhook connection's generated secret as a secret output", async () => {
    const pipeline = new GcsToWebhook("ws", existingArgs(key));
    await settled(pipeline);
    expect(await pipeline.webhookSecret.isSecret).toBe(true);
    expect(await value(pipeline.webhookSecret)).toBe(GENERATED_WEBHOOK_SECRET);
  });

  it("passes the sync settings and a list of CSV columns through", async () => {
    await settled(
      new GcsToWebhook("cfg", {
        ...existingArgs(key),
        namePrefix: "acme",
        fields: ["email_address", "$first_name"],
        batchSize: 500,
        recordRequests: false,
        metadata: { source: "pulumi" },
        schedule: { frequency: "daily", hour: "6", minute: "0" },
        active: false,
      }),
    );
    const sync = only(T.sync, "cfg-sync");
    expect(sync.inputs).toMatchObject({
      name: "acme-sync",
      schedule: { frequency: "daily", hour: "6", minute: "0" },
      active: false,
      target: { configuration: { batch_size: 500, record_requests: false, metadata: { source: "pulumi" } } },
      fields: [
        { target: "record", source: { modelId: "cfg-model-id", field: "email_address" } },
        { target: "record", source: { modelId: "cfg-model-id", field: "$first_name" } },
      ],
    });
    expect(only(T.connection, "cfg-gcs").inputs.name).toBe("acme-gcs");
    expect(only(T.model).inputs.name).toBe("acme-model");
  });

  it("declares named syncs, each with its own settings over the component's defaults", async () => {
    const pipeline = new GcsToWebhook("many", {
      ...existingArgs(key),
      batchSize: 200,
      metadata: { team: "growth" },
      adopt: { syncId: "s-existing" },
      syncs: {
        nightly: { schedule: { frequency: "daily", hour: "2" }, batchSize: 1000 },
        emails: { fields: ["email_address"], metadata: { team: "crm" }, syncAllRecords: true },
        paused: { active: false, recordRequests: false, adoptId: "s-paused" },
      },
    });
    await settled(pipeline);
    const byName = (name: string) => only(T.sync, name).inputs;
    expect(byName("many-nightly")).toMatchObject({
      name: "many-nightly",
      schedule: { frequency: "daily", hour: "2" },
      active: true,
      target: { connectionId: "many-webhook-id", configuration: { batch_size: 1000, record_requests: true, metadata: { team: "growth" } } },
      // adopt.syncId names the first sync; a sync's own adoptId wins.
      adoptId: "s-existing",
    });
    expect(byName("many-nightly").fields.map((f: any) => f.source.field)).toEqual(["email_address", "first_name", "last_name"]);
    expect(byName("many-emails")).toMatchObject({
      schedule: { frequency: "manual" },
      syncAllRecords: true,
      target: { configuration: { batch_size: 200, metadata: { team: "crm" } } },
      fields: [{ target: "record", source: { modelId: "many-model-id", field: "email_address" } }],
    });
    expect(byName("many-emails").adoptId).toBeUndefined();
    expect(byName("many-paused")).toMatchObject({ active: false, adoptId: "s-paused", target: { configuration: { record_requests: false } } });
    expect(await value(pipeline.syncs)).toEqual({ nightly: "many-nightly-id", emails: "many-emails-id", paused: "many-paused-id" });
    expect(await value(pipeline.syncId)).toBe("many-nightly-id");
  });

  it("names each sync after its key alone, so renaming one key leaves the others' names (and URNs) as they were", async () => {
    await settled(new GcsToWebhook("keys", { ...existingArgs(key), syncs: { a: {}, b: {}, c: {} } }));
    const before = registrations.filter((r) => r.type === T.sync).map((r) => r.name).sort();
    registrations.length = 0;
    await settled(new GcsToWebhook("keys", { ...existingArgs(key), syncs: { a: {}, renamed: {}, c: {} } }));
    const after = registrations.filter((r) => r.type === T.sync).map((r) => r.name).sort();
    expect(before).toEqual(["keys-a", "keys-b", "keys-c"]);
    expect(after).toEqual(["keys-a", "keys-c", "keys-renamed"]);
  });

  it("manages the organization's event webhook when asked, with a secret secret", async () => {
    const pipeline = new GcsToWebhook("org", {
      ...existingArgs(key),
      orgWebhook: { endpoint: "https://hooks.example.com/events", secret: "s3cret-42" },
    });
    await settled(pipeline);
    const hook = only(T.orgWebhook, "org-org-webhook");
    expect(hook.inputs.endpoint).toBe("https://hooks.example.com/events");
    expect(at(hook.inputs, "secret")).toEqual({ secret: true, value: "s3cret-42" });
    expect(hook.inputs.takeOverFrom).toBeUndefined();
    expect(await value(pipeline.orgWebhookId)).toBe("org-org-webhook-id");
  });

  it("passes adoption ids to each Polytomic resource, and whose org webhook it takes over", async () => {
    await settled(
      new GcsToWebhook("adopt", {
        ...existingArgs(key),
        orgWebhook: { endpoint: "https://hooks.example.com/events", secret: "s3cret-42", takeOverFrom: "polytomic-pipelines/old-prod" },
        adopt: { gcsConnectionId: "c-gcs", webhookConnectionId: "c-hook", modelId: "m-1", syncId: "s-1", orgWebhookId: "w-1" },
      }),
    );
    expect(only(T.connection, "adopt-gcs").inputs.adoptId).toBe("c-gcs");
    expect(only(T.connection, "adopt-webhook").inputs.adoptId).toBe("c-hook");
    expect(only(T.model).inputs.adoptId).toBe("m-1");
    expect(only(T.sync).inputs.adoptId).toBe("s-1");
    expect(only(T.orgWebhook).inputs.adoptId).toBe("w-1");
    expect(only(T.orgWebhook).inputs.takeOverFrom).toBe("polytomic-pipelines/old-prod");
  });

  it("passes protect on to its children through the parent", async () => {
    await settled(new GcsToWebhook("prot", existingArgs(key), { protect: true }));
    const children = registrations.filter((r) => r.type !== T.component);
    expect(children).toHaveLength(4);
    for (const child of children) expect(child.protect, child.name).toBe(true);
  });
});

describe("GcsToWebhook argument checks", () => {
  const key = "{}";

  it.each<[string, Partial<components.GcsToWebhookArgs>, string]>([
    ["neither create nor existing", { existing: undefined }, "give create (new Google Cloud resources) or existing"],
    ["both create and existing", { create: { location: "EU", csvPath: "x.csv" } }, "give either create or existing, not both"],
    ["no sync", { syncs: {} }, "syncs: declare at least one sync"],
    ["a sync key with a space", { syncs: { "a b": {} } }, 'syncs: key "a b" must be 1-63 of letters'],
    ["a sync key taken by another child", { syncs: { model: {} } }, 'syncs: key "model" is taken by the pipeline\'s model'],
    ["no CSV column", { fields: [] }, "fields: list at least one CSV column"],
    ["the old map form of fields", { fields: { email: "email_address" } as never }, 'the map form { <record key>: <CSV column> } is no longer supported'],
    ["two columns arriving under one record key", { fields: ["first name", "firstname"] }, 'fields: fields "first name" and "firstname" both arrive as record key "firstname"'],
    ["a column arriving under no key", { syncs: { s: { fields: ["email_address", "###"] } } }, 'syncs.s.fields: field "###" normalizes to an empty record key'],
    ["an empty namePrefix", { namePrefix: " " }, "namePrefix must not be empty"],
  ])("rejects %s", (_, overrides, message) => {
    expect(() => new GcsToWebhook(`bad-${crypto.randomUUID()}`, { ...existingArgs(key), ...overrides })).toThrow(message);
  });

  it("in create mode, rejects a column the CSV it uploads does not have, listing the header", () => {
    const csv = path.join(tmp, "header.csv");
    fs.writeFileSync(csv, 'email_address,"  first_name  ",last_name\nada@example.com,Ada,Lovelace\n');
    const args = { create: { location: "EU", csvPath: csv }, receiverUrl: "https://h.example.com/r" };
    // The padded header cell reads as "first_name", as Polytomic's model and rows name it.
    expect(() => new GcsToWebhook(`hdr-${crypto.randomUUID()}`, { ...args, fields: ["email_address", "first_name"] })).not.toThrow();
    expect(() => new GcsToWebhook(`hdr-${crypto.randomUUID()}`, { ...args, fields: ["email", "first_name"] })).toThrow(
      'fields: "email" not in the CSV\'s header (email_address, first_name, last_name)',
    );
  });

  describe("once the model exists, its fields are known: a column it lacks fails the preview", () => {
    const columns = ["email_address", "first_name", "last_name", "company"];
    beforeEach(() => {
      modelFieldNames = columns;
    });
    afterAll(() => {
      modelFieldNames = undefined;
    });
    /**
     * The errors the program reports while `make` runs: a failed check rejects the sync's input,
     * which the Pulumi runtime reports as an unhandled rejection (printed as the error's message
     * alone, a ResourceError with hideStack). Vitest's own listeners are set aside meanwhile.
     */
    async function programErrors(make: () => components.GcsToWebhook): Promise<{ pipeline: components.GcsToWebhook; errors: string[] }> {
      const saved = process.listeners("unhandledRejection");
      process.removeAllListeners("unhandledRejection");
      const errors: string[] = [];
      process.on("unhandledRejection", (err) => errors.push(err instanceof Error ? err.message : String(err)));
      try {
        const pipeline = make();
        await value(pipeline.model.id);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { pipeline, errors };
      } finally {
        process.removeAllListeners("unhandledRejection");
        for (const listener of saved) process.on("unhandledRejection", listener);
      }
    }

    it("names the config key, the model's real columns and a fix", async () => {
      const name = `cols-${crypto.randomUUID()}`;
      const { errors } = await programErrors(
        () =>
          new GcsToWebhook(name, {
            ...existingArgs(key),
            namePrefix: "acme",
            fields: ["email_address", "phone_number"],
            settingNames: { configNamespace: "polytomic-pipelines" },
          }),
      );
      expect(errors.length).toBeGreaterThan(0);
      for (const message of errors) {
        expect(message).toContain(
          'polytomic-pipelines:fields: "phone_number" is not a field of model acme-model, whose columns are email_address, first_name, last_name, company. ' +
            "Fix: pulumi config set --path 'fields[1]' <one of those columns>",
        );
      }
      // The sync with the bad column is never registered, so `up` cannot send it to the API.
      expect(registrations.filter((r) => r.type === T.sync && r.name.startsWith(name))).toEqual([]);
    });

    it("names a sync's own fields, and without a config namespace the argument", async () => {
      const { pipeline, errors } = await programErrors(
        () =>
          new GcsToWebhook(`cols-${crypto.randomUUID()}`, {
            ...existingArgs(key),
            namePrefix: "acme",
            syncs: { ok: {}, daily: { fields: ["phone_number"] } },
          }),
      );
      expect(await value(pipeline.modelSyncs.ok.id)).toBeDefined();
      expect(errors.length).toBeGreaterThan(0);
      for (const message of errors) {
        expect(message).toContain(
          'syncs.daily.fields: "phone_number" is not a field of model acme-model, whose columns are email_address, first_name, last_name, company. Fix: list only columns the model has in syncs.daily.fields',
        );
      }
    });

    it("lets columns the model has through, and checks nothing while the model is yet to be created", async () => {
      const { pipeline, errors } = await programErrors(() => new GcsToWebhook(`cols-${crypto.randomUUID()}`, { ...existingArgs(key), fields: ["company"] }));
      await settled(pipeline);
      expect(errors).toEqual([]);
      modelFieldNames = undefined;
      const before = await programErrors(() => new GcsToWebhook(`cols-${crypto.randomUUID()}`, { ...existingArgs(key), fields: ["phone_number"] }));
      await settled(before.pipeline);
      expect(before.errors).toEqual([]);
    });
  });

  it("rejects a CSV path that does not exist, naming it", () => {
    const missing = path.join(tmp, "nope.csv");
    expect(
      () => new GcsToWebhook("nocsv", { create: { location: "EU", csvPath: missing }, receiverUrl: "https://h.example.com/r" }),
    ).toThrow(`csvPath "${missing}" does not exist`);
  });
});
