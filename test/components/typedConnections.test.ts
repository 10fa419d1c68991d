/**
 * The typed connection classes under Pulumi mocks: what each registers. Secrets given as plain
 * strings (or inside an Output) reach the engine as Pulumi secrets, on the secret side
 * (`sensitiveConfiguration`), and never inside the `configuration` shown in previews; the generic
 * `Connection` makes its `sensitiveConfiguration` a secret whatever it is given.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type * as providersModule from "../../providers";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const CONNECTION = "pulumi-nodejs:dynamic/polytomic:Connection";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

let registrations: Registration[] = [];
let P: typeof providersModule;

const isSecret = (v: unknown) => typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (args.type === "pulumi-nodejs:dynamic/polytomic-state:IdempotencySalt") return { id: "salt", state: { value: "mock-salt" } };
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    "typed-connections",
    "test",
    false,
  );
  P = await import("../../providers");
});

beforeEach(() => {
  registrations = [];
});

/** Waits for every registration of the resources made so far. */
const registered = async (...resources: pulumi.CustomResource[]) => {
  await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  return (name: string) => {
    const found = registrations.find((r) => r.name === name);
    if (!found) throw new Error(`${name} not registered`);
    return found;
  };
};

describe("typed connection classes", () => {
  it("move a PostgreSQL password given in plain text to the secret side, as a secret", async () => {
    const pg = new P.PostgresqlConnection("pg", {
      name: "warehouse",
      configuration: { hostname: "db.example.com", username: "loader", database: "app", port: 5432, password: "plain-pg-password", ca_cert: "plain-ca" },
    });
    const get = await registered(pg);
    const { type, inputs } = get("pg");
    expect(type).toBe(CONNECTION);
    expect(inputs.type).toBe("postgresql");
    expect(inputs.configuration).toEqual({ hostname: "db.example.com", username: "loader", database: "app", port: 5432 });
    expect(isSecret(inputs.sensitiveConfiguration)).toBe(true);
    expect(inputs.sensitiveConfiguration.value).toEqual({ password: "plain-pg-password", ca_cert: "plain-ca" });
    expect(JSON.stringify(inputs.configuration)).not.toContain("plain-");
  });

  it("split nested credentials the schema forgets to flag (webhook basic, header, query, oauth)", async () => {
    const hook = new P.WebhookConnection("hook", {
      name: "receiver",
      configuration: {
        url: "https://example.com/in",
        auth_method: "basic",
        basic: { username: "polytomic", password: "plain-basic" },
        header: { name: "X-Key", value: "plain-header" },
        query: [{ name: "key", value: "plain-query" }],
        oauth: { client_id: "id", client_secret: "plain-oauth", scopes: ["a"] },
        headers: [{ name: "X-Trace", value: "on" }],
      },
    });
    const { inputs } = (await registered(hook))("hook");
    expect(inputs.configuration).toEqual({
      url: "https://example.com/in",
      auth_method: "basic",
      basic: { username: "polytomic" },
      header: { name: "X-Key" },
      oauth: { client_id: "id", scopes: ["a"] },
      headers: [{ name: "X-Trace", value: "on" }],
    });
    expect(isSecret(inputs.sensitiveConfiguration)).toBe(true);
    expect(inputs.sensitiveConfiguration.value).toEqual({
      basic: { password: "plain-basic" },
      header: { value: "plain-header" },
      query: [{ name: "key", value: "plain-query" }],
      oauth: { client_secret: "plain-oauth" },
    });
  });

  it("split a configuration given as an Output, or with Outputs inside", async () => {
    const whole = new P.SnowflakeConnection("sf", {
      name: "snow",
      configuration: pulumi.output({ account: "acme", username: "u", dbname: "db", password: "plain-snow" }),
    });
    const inner = new P.HubspotConnection("hs", {
      name: "crm",
      configuration: { hub_domain: pulumi.output("acme.com"), client_secret: pulumi.output("plain-hub") },
    });
    const get = await registered(whole, inner);
    expect(get("sf").inputs.configuration).toEqual({ account: "acme", username: "u", dbname: "db" });
    expect(get("sf").inputs.sensitiveConfiguration).toEqual({ [SECRET_SIG_KEY]: SECRET_SIG, value: { password: "plain-snow" } });
    expect(get("hs").inputs.configuration).toEqual({ hub_domain: "acme.com" });
    expect(get("hs").inputs.sensitiveConfiguration.value).toEqual({ client_secret: "plain-hub" });
  });

  it("X.get reads an existing connection by id, declaring nothing", async () => {
    const got = P.PostgresqlConnection.get("read-pg", "existing-id");
    expect(got).toBeInstanceOf(P.PostgresqlConnection);
    expect(await new Promise((resolve) => got.id.apply(resolve))).toBe("existing-id");
  });

  it("the generic Connection makes a plain sensitiveConfiguration a secret too", async () => {
    const c = new P.Connection("generic", { name: "g", type: "postgresql", configuration: { hostname: "h" }, sensitiveConfiguration: { password: "plain-generic" } });
    const { inputs } = (await registered(c))("generic");
    expect(isSecret(inputs.sensitiveConfiguration)).toBe(true);
  });
});
