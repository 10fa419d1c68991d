/**
 * The emulator's connection types (Polytomic's own, from the snapshot) and connections of types it
 * has no data path for: accepted by their schema, secrets masked, read-only fields filled, status
 * saying it cannot connect.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionTypes, REDACTED } from "../../contract";
import type { Emulator } from "../../emulator";
import { call, startTestEmulator } from "./support";

let emulator: Emulator;
let superset: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
  superset = await startTestEmulator({ supersetAnswers: true });
});
afterAll(async () => {
  await emulator?.stop();
  await superset?.stop();
});

const create = (body: Record<string, unknown>, on: Emulator = emulator) => call(on, "POST", "/api/connections", { validate: false, ...body });

describe("GET /api/connection_types", () => {
  it("lists every type of the snapshot with id, name and use_oauth", async () => {
    const { status, body } = await call(emulator, "GET", "/api/connection_types");
    expect(status).toBe(200);
    expect(body.data).toHaveLength(226);
    expect(body.data).toContainEqual({ id: "postgresql", name: "PostgreSQL", use_oauth: false });
    expect(body.data).toContainEqual(expect.objectContaining({ id: "airtable", use_oauth: true }));
    // The types the emulator runs keep what is known of them.
    expect(body.data).toContainEqual(expect.objectContaining({ id: "gcs", capabilities: expect.objectContaining({ source: true }) }));
  });

  it("answers each type's JSON Schema, bare, as in the snapshot; 404 for another", async () => {
    const { status, body } = await call(emulator, "GET", "/api/connection_types/snowflake");
    expect(status).toBe(200);
    const file = path.join(connectionTypes.DATA_DIR, "connectiontypes", "snowflake.json");
    expect(body).toEqual(JSON.parse(fs.readFileSync(file, "utf8")));
    expect((await call(emulator, "GET", "/api/connection_types/not_a_type")).status).toBe(404);
    expect((await call(emulator, "GET", "/api/connection_types/..%2Fconnectiontypes")).status).toBe(404);
  });
});

describe("connections of types without a data path", () => {
  it("postgresql: created by its schema, the password masked, unhealthy as it cannot connect", async () => {
    const created = await create({
      name: "pg",
      type: "postgresql",
      configuration: { hostname: "db.example.com", username: "u", password: "pg-secret-1", database: "app", port: 5432, not_a_field: "x" },
    });
    expect(created.status).toBe(200);
    const data = created.body.data;
    expect(data.type).toEqual({ id: "postgresql", name: "PostgreSQL" });
    expect(data.configuration).toEqual({ hostname: "db.example.com", username: "u", password: REDACTED, database: "app", port: 5432 });
    expect(data.status).toBe("unhealthy");
    expect(data.status_error).toMatch(/cannot connect to PostgreSQL/);
    expect(created.text).not.toContain("pg-secret-1");
    const read = await call(emulator, "GET", `/api/connections/${data.id}`);
    expect(read.body.data.configuration.password).toBe(REDACTED);
    expect(read.text).not.toContain("pg-secret-1");
  });

  it("snowflake and hubspot: every sensitive field masked, api_field secrets included", async () => {
    const snow = await create({ name: "sf", type: "snowflake", configuration: { account: "acme", username: "u", dbname: "db", password: "sf-secret", private_key_passphrase: "" } });
    expect(snow.status).toBe(200);
    expect(snow.body.data.configuration).toEqual({ account: "acme", username: "u", dbname: "db", password: REDACTED, private_key_passphrase: "" });
    // hub_domain and hub_user are read-only (set by Polytomic from the OAuth grant): a sent value is dropped, the server's filled in.
    const hub = await create({ name: "hs", type: "hubspot", configuration: { hub_domain: "acme.com", client_id: "cid", client_secret: "hs-secret", use_search_api: true } });
    expect(hub.status).toBe(200);
    expect(hub.body.data.configuration).toEqual({
      client_id: REDACTED,
      client_secret: REDACTED,
      use_search_api: true,
      hub_domain: expect.not.stringMatching(/^acme\.com$/),
      hub_user: expect.any(String),
    });
    expect(hub.text).not.toContain("hs-secret");
  });

  it("refuses what the schema refuses, naming the field, never the value", async () => {
    const missing = await create({ name: "pg", type: "postgresql", configuration: { hostname: "h", username: "u", database: "d" } });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toBe("configuration.password: is required");
    const wrong = await create({ name: "pg", type: "postgresql", configuration: { hostname: "h", username: "u", database: "d", password: "pw-xyz", port: "5432" } });
    expect(wrong.body.message).toBe("configuration.port: must be an integer");
    const outside = await create({ name: "k", type: "amazon_keyspaces", configuration: { region: "r", auth_method: "magic" } });
    expect(outside.status).toBe(422);
    expect(outside.body.message).toMatch(/^configuration\.auth_method: must be one of "access_key_and_secret"/);
    const nested = await create({ name: "a", type: "api", configuration: { url: "https://x", auth: { basic: { user: "x" } } } });
    expect(nested.body.message).toBe("configuration.auth.basic.user: is not a field here: remove it or check its spelling");
  });

  it("with validate (the API's default), refuses a connection it cannot reach", async () => {
    const result = await call(emulator, "POST", "/api/connections", { name: "sf", type: "snowflake", configuration: { account: "a", username: "u", dbname: "d" } });
    expect(result.status).toBe(422);
    expect(result.body.message).toMatch(/cannot connect to Snowflake.*validate: false/);
  });

  it("keeps a secret an update leaves out or sends masked; fills read-only fields once", async () => {
    const created = await create({ name: "ks", type: "amazon_keyspaces", configuration: { region: "us-east-1", auth_method: "access_key_and_secret", access_key_id: "AK", secret_access_key: "ks-1" } });
    const id = created.body.data.id;
    const externalId = created.body.data.configuration.external_id;
    expect(typeof externalId).toBe("string");
    for (const configuration of [
      { region: "eu-west-1", auth_method: "access_key_and_secret", access_key_id: "AK" },
      { region: "eu-west-2", auth_method: "access_key_and_secret", access_key_id: "AK", secret_access_key: REDACTED, external_id: "mine" },
    ]) {
      const updated = await call(emulator, "PUT", `/api/connections/${id}`, { name: "ks", configuration, validate: false });
      expect(updated.status).toBe(200);
      expect(updated.body.data.configuration).toMatchObject({ region: configuration.region, secret_access_key: REDACTED, external_id: externalId });
    }
    // A field left out that is not a secret is cleared (full replacement).
    const cleared = await call(emulator, "PUT", `/api/connections/${id}`, { name: "ks", configuration: { region: "r", auth_method: "iam_role" }, validate: false });
    expect(cleared.body.data.configuration.access_key_id).toBeUndefined();
    expect(cleared.body.data.configuration.secret_access_key).toBe(REDACTED);
  });

  it("fills schema defaults only where the answers may (superset mode)", async () => {
    const body = { name: "pg", type: "postgresql", configuration: { hostname: "h", username: "u", password: "p", database: "d" } };
    expect((await create(body)).body.data.configuration.ssl).toBeUndefined();
    const filled = (await create(body, superset)).body.data.configuration;
    expect(filled).toMatchObject({ port: 5432, ssl: true, ssh_user: "root", password: REDACTED });
  });
});
