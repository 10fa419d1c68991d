/**
 * Stack config parsing: defaults, every key's format, the rules between keys, and errors that
 * name the key and the fixing command without ever quoting a secret.
 */
import * as crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CONFIG_DEFAULTS,
  ConfigError,
  ConfigSource,
  RawConfigValue,
  parsePipelineConfig,
} from "../../program/config";
import { SYNC_KEY_RULE } from "../../components/pipelineRules";

/** Marks a value as stored encrypted, like `pulumi config set --secret`. */
const secret = (value: string): RawConfigValue => ({ value, secret: true });

type Entries = Record<string, string | RawConfigValue | undefined>;

function source(entries: Entries, env: Record<string, string> = {}): ConfigSource {
  return {
    get: (key) => {
      const entry = entries[key];
      return typeof entry === "string" ? { value: entry, secret: false } : entry;
    },
    projectKeys: () => Object.keys(entries).filter((key) => !key.includes(":")),
    env,
  };
}

function serviceAccountKeyJson(overrides: Record<string, unknown> = {}): string {
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return JSON.stringify({
    type: "service_account",
    project_id: "demo-project",
    private_key_id: crypto.randomBytes(20).toString("hex"),
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    client_email: "reader@demo-project.iam.gserviceaccount.com",
    ...overrides,
  });
}

const KEY = serviceAccountKeyJson();

/** A complete existing-mode config (what the offline stack holds). */
const existing: Entries = {
  "polytomic:url": "http://127.0.0.1:8787",
  "polytomic:apiKey": secret("polytomic-emulator-local-key"),
  gcpMode: "existing",
  bucketName: "polytomic-demo",
  serviceAccountKey: secret(KEY),
  receiverUrl: "http://127.0.0.1:8788/records",
};

/** A complete create-mode config. */
const create: Entries = {
  "polytomic:url": "https://app.polytomic.com",
  "polytomic:apiKey": secret("real-key"),
  gcpMode: "create",
  gcpLocation: "EU",
  gcpProject: "acme-data-prod",
  receiverUrl: "https://hooks.example.com/records",
};

function problemsOf(entries: Entries, env: Record<string, string> = {}): ConfigError {
  try {
    parsePipelineConfig(source(entries, env));
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("parsePipelineConfig: good configs", () => {
  it("fills every default for a minimal existing-mode config", () => {
    const { config, warnings } = parsePipelineConfig(source(existing));
    expect(config).toEqual({
      gcp: { mode: "existing", bucketName: "polytomic-demo", serviceAccountKey: KEY, objectName: "high_paying_users.csv" },
      receiverUrl: "http://127.0.0.1:8788/records",
      namePrefix: undefined,
      fields: ["email_address", "first_name", "last_name"],
      batchSize: 100,
      recordRequests: true,
      active: true,
      metadata: undefined,
      syncs: undefined,
      schedule: { frequency: "manual" },
      webhookSecretVersion: undefined,
      orgWebhook: undefined,
      adopt: {},
    });
    expect(warnings).toEqual([]);
  });

  it("defaults gcpMode to existing", () => {
    const { gcpMode: _omitted, ...rest } = existing;
    expect(parsePipelineConfig(source(rest)).config.gcp.mode).toBe("existing");
    expect(CONFIG_DEFAULTS.gcpMode).toBe("existing");
  });

  it("parses a create-mode config", () => {
    const { config } = parsePipelineConfig(source({ ...create, bucketName: "acme-contacts", gcpForceDestroy: "true" }));
    expect(config.gcp).toEqual({
      mode: "create",
      location: "EU",
      project: "acme-data-prod",
      bucketName: "acme-contacts",
      csvPath: "data/high_paying_users.csv",
      objectName: "high_paying_users.csv",
      forceDestroy: true,
    });
  });

  it.each([
    ["gcp:project in the stack config", { "gcp:project": "acme-data-prod" }, {}],
    ["GOOGLE_PROJECT in the environment", {}, { GOOGLE_PROJECT: "acme-data-prod" }],
    ["GOOGLE_CLOUD_PROJECT in the environment", {}, { GOOGLE_CLOUD_PROJECT: "acme-data-prod" }],
  ])("accepts create mode without gcpProject given %s (the provider's own project)", (_, extra, env) => {
    const { gcpProject: _omitted, ...rest } = create;
    const { config } = parsePipelineConfig(source({ ...rest, ...extra }, env));
    expect(config.gcp).toMatchObject({ mode: "create", project: undefined });
  });

  it("parses every optional key", () => {
    const { config } = parsePipelineConfig(
      source({
        ...existing,
        objectName: "contacts/2026.csv",
        namePrefix: "acme-prod",
        fields: JSON.stringify(["email_address", "first_name"]),
        batchSize: "10000",
        recordRequests: "false",
        active: "false",
        metadata: JSON.stringify({ team: "growth" }),
        schedule: JSON.stringify({ frequency: "daily", hour: 9, minute: "30" }),
        syncs: JSON.stringify({
          nightly: { schedule: { frequency: "daily", hour: 2 }, batchSize: 1000 },
          emails: { fields: ["email_address"], active: true, metadata: { team: "crm" }, syncAllRecords: true, skipInitialBackfill: true, recordRequests: false, adoptId: "s-9" },
        }),
        orgWebhookUrl: "https://hooks.example.com/events",
        orgWebhookSecret: secret("s3cret-42"),
        orgWebhookDisabled: "true",
        orgWebhookTakeOverFrom: "polytomic-pipelines/old-prod",
        adopt: JSON.stringify({ modelId: "m-1", syncId: "s-1", orgWebhookId: "w-1" }),
      }),
    );
    expect(config).toMatchObject({
      gcp: { objectName: "contacts/2026.csv" },
      namePrefix: "acme-prod",
      fields: ["email_address", "first_name"],
      batchSize: 10000,
      recordRequests: false,
      active: false,
      metadata: { team: "growth" },
      // Hours and minutes are strings in the API; YAML numbers are accepted and converted.
      schedule: { frequency: "daily", hour: "9", minute: "30" },
      syncs: {
        nightly: { schedule: { frequency: "daily", hour: "2" }, batchSize: 1000 },
        emails: { fields: ["email_address"], active: true, metadata: { team: "crm" }, syncAllRecords: true, skipInitialBackfill: true, recordRequests: false, adoptId: "s-9" },
      },
      orgWebhook: { url: "https://hooks.example.com/events", secret: "s3cret-42", disabled: true, takeOverFrom: "polytomic-pipelines/old-prod" },
      adopt: { modelId: "m-1", syncId: "s-1", orgWebhookId: "w-1" },
    });
  });

  it("takes the Polytomic URL and API key from the environment when the config lacks them", () => {
    const { "polytomic:url": _u, "polytomic:apiKey": _k, ...rest } = existing;
    expect(() =>
      parsePipelineConfig(source(rest, { POLYTOMIC_URL: "http://127.0.0.1:8787", POLYTOMIC_API_KEY: "k" })),
    ).not.toThrow();
  });

  it("treats an empty value as unset", () => {
    const { config } = parsePipelineConfig(source({ ...existing, batchSize: "", namePrefix: "" }));
    expect(config.batchSize).toBe(100);
    expect(config.namePrefix).toBeUndefined();
  });

  it("warns about unknown keys, suggesting the right spelling", () => {
    const { warnings } = parsePipelineConfig(source({ ...existing, batchsize: "5", colour: "blue" }));
    expect(warnings).toEqual([
      'config key "batchsize" is not used by this program (did you mean "batchSize"?)',
      'config key "colour" is not used by this program',
    ]);
  });

  it("warns about keys of the other gcpMode", () => {
    expect(parsePipelineConfig(source({ ...existing, gcpLocation: "EU" })).warnings).toEqual([
      'config key "gcpLocation" is ignored when gcpMode is "existing"',
    ]);
    expect(parsePipelineConfig(source({ ...create, serviceAccountKey: secret(KEY) })).warnings).toEqual([
      'config key "serviceAccountKey" is ignored when gcpMode is "create"',
    ]);
  });
});

describe("parsePipelineConfig: bad configs", () => {
  // [what, config, key named, text of the message, text of the fix]
  const cases: Array<[string, Entries, string, string, string]> = [
    ["receiverUrl missing", { ...existing, receiverUrl: undefined }, "receiverUrl", "is required", "pulumi config set receiverUrl"],
    ["receiverUrl not http", { ...existing, receiverUrl: "ftp://example.com/x" }, "receiverUrl", "must be an http(s) URL", "pulumi config set receiverUrl"],
    ["gcpMode unknown", { ...existing, gcpMode: "cloud" }, "gcpMode", 'must be "existing" or "create"', "pulumi config set gcpMode existing"],
    ["bucketName missing (existing)", { ...existing, bucketName: undefined }, "bucketName", 'is required when gcpMode is "existing"', "pulumi config set bucketName"],
    ["bucketName a URL", { ...existing, bucketName: "gs://polytomic-demo" }, "bucketName", "must be a bucket name", "pulumi config set bucketName"],
    ["serviceAccountKey missing", { ...existing, serviceAccountKey: undefined }, "serviceAccountKey", 'is required when gcpMode is "existing"', "pulumi config set --secret serviceAccountKey"],
    ["serviceAccountKey in plain text", { ...existing, serviceAccountKey: KEY }, "serviceAccountKey", "is stored in plain text but is a secret", "pulumi config set --secret serviceAccountKey"],
    ["serviceAccountKey not JSON", { ...existing, serviceAccountKey: secret("not json") }, "serviceAccountKey", "is not JSON", "--secret serviceAccountKey"],
    ["serviceAccountKey without a private key", { ...existing, serviceAccountKey: secret(JSON.stringify({ type: "service_account" })) }, "serviceAccountKey", 'field "project_id"', "--secret serviceAccountKey"],
    ["gcpLocation missing (create)", { ...create, gcpLocation: undefined }, "gcpLocation", 'is required when gcpMode is "create"', "pulumi config set gcpLocation US"],
    ["gcpLocation malformed", { ...create, gcpLocation: "eu west" }, "gcpLocation", "must be a location", "pulumi config set gcpLocation"],
    ["no project anywhere (create)", { ...create, gcpProject: undefined }, "gcpProject", "gcp:project is not set", "pulumi config set gcp:project"],
    ["gcpProject malformed", { ...create, gcpProject: "Acme Prod" }, "gcpProject", "must be a Google Cloud project id", "pulumi config set gcpProject"],
    ["gcpForceDestroy not a boolean", { ...create, gcpForceDestroy: "yes" }, "gcpForceDestroy", 'must be "true" or "false"', "pulumi config set gcpForceDestroy"],
    ["orgWebhookUrl without its secret", { ...existing, orgWebhookUrl: "https://hooks.example.com/events" }, "orgWebhookSecret", "set both or neither", "pulumi config set --secret orgWebhookSecret <6-32 chars>"],
    ["orgWebhookSecret without its URL", { ...existing, orgWebhookSecret: secret("s3cret-42") }, "orgWebhookUrl", "set both or neither", "pulumi config set orgWebhookUrl"],
    ["orgWebhookSecret too short", { ...existing, orgWebhookUrl: "https://h.example.com/e", orgWebhookSecret: secret("abc") }, "orgWebhookSecret", "at least 6 characters", "--secret orgWebhookSecret"],
    ["orgWebhookSecret too long", { ...existing, orgWebhookUrl: "https://h.example.com/e", orgWebhookSecret: secret("x".repeat(33)) }, "orgWebhookSecret", "at most 32 characters", "--secret orgWebhookSecret"],
    ["orgWebhookSecret in plain text", { ...existing, orgWebhookUrl: "https://h.example.com/e", orgWebhookSecret: "s3cret-42" }, "orgWebhookSecret", "plain text", "pulumi config set --secret orgWebhookSecret"],
    ["orgWebhookUrl not a URL", { ...existing, orgWebhookUrl: "hooks", orgWebhookSecret: secret("s3cret-42") }, "orgWebhookUrl", "must be an http(s) URL", "pulumi config set orgWebhookUrl"],
    ["orgWebhookTakeOverFrom not a stack", { ...existing, orgWebhookUrl: "https://h.example.com/e", orgWebhookSecret: secret("s3cret-42"), adopt: JSON.stringify({ orgWebhookId: "w-1" }), orgWebhookTakeOverFrom: "prod" }, "orgWebhookTakeOverFrom", "must name a stack as <project>/<stack>", "pulumi config set orgWebhookTakeOverFrom <project>/<stack>"],
    ["orgWebhookTakeOverFrom without an adoption", { ...existing, orgWebhookUrl: "https://h.example.com/e", orgWebhookSecret: secret("s3cret-42"), orgWebhookTakeOverFrom: "p/prod" }, "orgWebhookTakeOverFrom", "adopt.orgWebhookId is not", "pulumi config set --path adopt.orgWebhookId <id>"],
    ["orgWebhookTakeOverFrom without an org webhook", { ...existing, adopt: JSON.stringify({ orgWebhookId: "w-1" }), orgWebhookTakeOverFrom: "p/prod" }, "orgWebhookTakeOverFrom", "orgWebhookUrl is not", "pulumi config set orgWebhookUrl"],
    ["batchSize zero", { ...existing, batchSize: "0" }, "batchSize", "must be at least 1", "pulumi config set batchSize"],
    ["batchSize too big", { ...existing, batchSize: "10001" }, "batchSize", "must be at most 10000", "pulumi config set batchSize"],
    ["batchSize not a number", { ...existing, batchSize: "ten" }, "batchSize", "must be a whole number", "pulumi config set batchSize"],
    ["batchSize fractional", { ...existing, batchSize: "1.5" }, "batchSize", "must be a whole number", "pulumi config set batchSize"],
    ["syncCount (replaced by syncs)", { ...existing, syncCount: "3" }, "syncCount", "was replaced by syncs", "pulumi config rm syncCount"],
    ["syncBatchSizes (replaced by syncs)", { ...existing, syncBatchSizes: '{"p-sync": 5}' }, "syncBatchSizes", "was replaced by syncs.<key>.batchSize", "pulumi config rm syncBatchSizes"],
    ["syncs empty", { ...existing, syncs: "{}" }, "syncs", "must declare at least one sync", "pulumi config set --path syncs."],
    ["a sync's batch size out of range", { ...existing, syncs: '{"daily": {"batchSize": 0}}' }, "syncs.daily.batchSize", "must be at least 1", "pulumi config set --path syncs."],
    ["a sync key with a space", { ...existing, syncs: '{"my sync": {"batchSize": 50}}' }, "syncs.my sync", `is not a valid sync key: sync keys are ${SYNC_KEY_RULE}`, `pulumi config rm --path 'syncs["my sync"]' && pulumi config set --path syncs.my-sync.batchSize 50`],
    ["a sync setting misspelt", { ...existing, syncs: '{"daily": {"batchsize": 10}}' }, "syncs.daily", "batchsize", "pulumi config set --path syncs."],
    ["recordRequests not a boolean", { ...existing, recordRequests: "yes" }, "recordRequests", 'must be "true" or "false"', "pulumi config set recordRequests"],
    ["fields empty", { ...existing, fields: "[]" }, "fields", "must list at least one CSV column", "pulumi config set --path 'fields[0]'"],
    ["fields in the old map form", { ...existing, fields: JSON.stringify({ email: "email_address" }) }, "fields", "the map form { <record key>: <CSV column> } is no longer supported", "pulumi config set --path 'fields[0]'"],
    ["fields not a list", { ...existing, fields: "email_address" }, "fields", "must be", "pulumi config set --path 'fields[0]'"],
    ["fields with an empty column", { ...existing, fields: JSON.stringify(["email_address", " "]) }, "fields.1", "a CSV column name is empty", "pulumi config set --path 'fields[0]'"],
    ["schedule frequency unknown", { ...existing, schedule: JSON.stringify({ frequency: "sometimes" }) }, "schedule.frequency", "must be one of manual", "pulumi config set --path schedule."],
    ["schedule hour out of range", { ...existing, schedule: JSON.stringify({ frequency: "daily", hour: 24 }) }, "schedule.hour", "must be at most 23", "pulumi config set --path schedule."],
    ["schedule key misspelt", { ...existing, schedule: JSON.stringify({ frequency: "daily", day_of_week: "1" }) }, "schedule", "day_of_week", "pulumi config set --path schedule."],
    ["adopt key misspelt", { ...existing, adopt: JSON.stringify({ modelID: "m-1" }) }, "adopt", "modelID", "pulumi config set --path adopt."],
    ["namePrefix malformed", { ...existing, namePrefix: "-acme" }, "namePrefix", "starting with a letter or digit", "pulumi config set namePrefix"],
    ["polytomic:url missing", { ...existing, "polytomic:url": undefined }, "polytomic:url", "is required", "pulumi config set polytomic:url https://app.polytomic.com"],
    ["polytomic:url malformed", { ...existing, "polytomic:url": "app.polytomic.com" }, "polytomic:url", "must be an http(s) URL", "pulumi config set polytomic:url"],
    ["polytomic:apiKey missing", { ...existing, "polytomic:apiKey": undefined }, "polytomic:apiKey", "is required", "pulumi config set --secret polytomic:apiKey"],
    ["polytomic:apiKey in plain text", { ...existing, "polytomic:apiKey": "k" }, "polytomic:apiKey", "plain text", "pulumi config set --secret polytomic:apiKey"],
  ];

  it.each(cases)("%s", (_, entries, key, message, fix) => {
    const error = problemsOf(entries);
    // Only this key is at fault (possibly several times: one problem per bad field of a key file).
    expect([...new Set(error.problems.map((p) => p.key))]).toEqual([key]);
    const [problem] = error.problems;
    expect(problem.message).toContain(message);
    expect(problem.fix).toContain(fix);
    // The thrown message carries all three, for the preview's output.
    expect(error.message).toContain(`${key}: `);
    expect(error.message).toContain(message);
    expect(error.message).toContain(`Fix: ${problem.fix}`);
  });

  it("reports every problem at once", () => {
    const error = problemsOf({ ...existing, receiverUrl: undefined, batchSize: "0", "polytomic:url": undefined });
    expect(error.problems.map((p) => p.key).sort()).toEqual(["batchSize", "polytomic:url", "receiverUrl"]);
    expect(error.message).toMatch(/^Stack configuration is invalid \(3 problems\):/);
  });

  it("does not ask for the mode's keys when gcpMode itself is wrong", () => {
    const error = problemsOf({ ...existing, gcpMode: "gcp", bucketName: undefined, serviceAccountKey: undefined });
    expect(error.problems.map((p) => p.key)).toEqual(["gcpMode"]);
  });

  it("never quotes a secret value", () => {
    const marker = "SECRET-MARKER-7d1f";
    const error = problemsOf({
      ...existing,
      serviceAccountKey: secret(serviceAccountKeyJson({ client_email: marker, private_key: marker })),
      orgWebhookUrl: "https://h.example.com/e",
      orgWebhookSecret: secret(`${marker}-${"x".repeat(32)}`),
      "polytomic:apiKey": marker,
    });
    expect(error.problems.map((p) => p.key).sort()).toEqual([
      "orgWebhookSecret",
      "polytomic:apiKey",
      "serviceAccountKey",
      "serviceAccountKey",
    ]);
    expect(error.message).not.toContain(marker);
    expect(JSON.stringify(error.problems)).not.toContain(marker);
  });
});

describe("pulumiConfigSource (the wrapper over Pulumi's config)", () => {
  it("reads project and provider keys, knows which are encrypted, and lists the project's keys", async () => {
    const pulumi = await import("@pulumi/pulumi");
    const { pulumiConfigSource } = await import("../../program/config");
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: args.name, state: args.inputs }), call: () => ({}) },
      "polytomic-pipelines",
      "dev",
    );
    pulumi.runtime.setAllConfig(
      {
        "polytomic-pipelines:batchSize": "5",
        "polytomic-pipelines:orgWebhookSecret": "s3cret-42",
        "polytomic:url": "http://127.0.0.1:8787",
        "gcp:project": "acme-data",
      },
      ["polytomic-pipelines:orgWebhookSecret"],
    );
    const config = pulumiConfigSource();
    expect(config.get("batchSize")).toEqual({ value: "5", secret: false });
    expect(config.get("orgWebhookSecret")).toEqual({ value: "s3cret-42", secret: true });
    expect(config.get("polytomic:url")).toEqual({ value: "http://127.0.0.1:8787", secret: false });
    expect(config.get("gcp:project")).toEqual({ value: "acme-data", secret: false });
    expect(config.get("receiverUrl")).toBeUndefined();
    expect([...config.projectKeys!()].sort()).toEqual(["batchSize", "orgWebhookSecret"]);
  });
});

describe("webhook secret rotation", () => {
  it("parses webhookSecretVersion", () => {
    const { config } = parsePipelineConfig(source({ ...existing, webhookSecretVersion: "2" }));
    expect(config.webhookSecretVersion).toBe("2");
  });

  it("leaves it unset by default", () => {
    const { config } = parsePipelineConfig(source(existing));
    expect(config.webhookSecretVersion).toBeUndefined();
  });

  it("names the key when the secret version has spaces", () => {
    expect(() => parsePipelineConfig(source({ ...existing, webhookSecretVersion: "two words" }))).toThrow(
      /webhookSecretVersion/,
    );
  });
});

describe("warnings", () => {
  it("stay quiet about Pulumi.yaml's own defaults for the other gcpMode, not about chosen values", () => {
    const quiet = parsePipelineConfig(source({ ...existing, csvPath: CONFIG_DEFAULTS.csvPath, gcpForceDestroy: "false" }));
    expect(quiet.warnings).toEqual([]);
    const chosen = parsePipelineConfig(source({ ...existing, csvPath: "other.csv" }));
    expect(chosen.warnings).toEqual(['config key "csvPath" is ignored when gcpMode is "existing"']);
  });
});
