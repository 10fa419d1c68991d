/**
 * A connection's configuration checked against its type's schema at preview (the connection
 * kind's cross-field rules): one failure per problem, naming the field. And the secrets an update
 * leaves out.
 */
import { describe, expect, it } from "vitest";
import { connectionKind } from "../../providers/runtime/kinds/connection";
import { mergeSecrets, secretsToSend } from "../../providers/runtime/kinds/connectionSchema";
import { UNKNOWN } from "../../providers/runtime/shape";

const failures = (type: string, configuration: Record<string, unknown>, sensitiveConfiguration?: Record<string, unknown>) =>
  connectionKind.crossChecks!({ name: "c", type, configuration, sensitiveConfiguration });

const postgres = { hostname: "db.example.com", username: "u", database: "d" };

describe("connection configuration against its type's schema", () => {
  it("passes a good configuration, defaults left out", () => {
    expect(failures("postgresql", postgres, { password: "p" })).toEqual([]);
    expect(failures("snowflake", { account: "acme", username: "u", dbname: "db" }, { password: "p" })).toEqual([]);
  });

  it("names a missing required field", () => {
    expect(failures("postgresql", { hostname: "h", username: "u" }, { password: "p" })).toEqual([
      { property: "configuration.database", reason: "is required" },
    ]);
  });

  it("names a value outside an enum", () => {
    expect(failures("amazon_keyspaces", { region: "us-east-1", auth_method: "magic" })).toEqual([
      { property: "configuration.auth_method", reason: 'must be one of "access_key_and_secret", "iam_role", "service_credentials"' },
    ]);
  });

  it("names a wrong type", () => {
    expect(failures("postgresql", { ...postgres, port: "5432" }, { password: "p" })).toEqual([
      { property: "configuration.port", reason: "must be an integer" },
    ]);
    expect(failures("postgresql", { ...postgres, ssl: "yes" }, { password: 5 })).toEqual([
      { property: "configuration.ssl", reason: "must be true or false" },
      { property: "sensitiveConfiguration.password", reason: "must be a string" },
    ]);
  });

  it("names a field the type does not have, at the top and nested", () => {
    expect(failures("postgresql", { ...postgres, hostnme: "h" }, { password: "p" })).toEqual([
      { property: "configuration.hostnme", reason: 'is not a field of connection type "postgresql": remove it or check its spelling' },
    ]);
    expect(failures("webhook", { url: "https://example.com/x", auth_method: "basic", basic: { username: "u", user: "x" } })).toEqual([
      { property: "configuration.basic.user", reason: "is not a field here: remove it or check its spelling" },
    ]);
  });

  it("refuses a field Polytomic sets, and a secret declared in clear", () => {
    expect(failures("amazon_keyspaces", { region: "us-east-1", auth_method: "iam_role", external_id: "x" })).toContainEqual({
      property: "configuration.external_id",
      reason: "is set by Polytomic, not by you: remove it",
    });
    const clear = failures("postgresql", { ...postgres, password: "p" });
    expect(clear).toContainEqual(expect.objectContaining({ property: "configuration.password", reason: expect.stringMatching(/^is a secret: move it to sensitiveConfiguration\.password .*or use PostgresqlConnection, which does$/) }));
    expect(failures("webhook", { url: "https://example.com/x", auth_method: "basic", basic: { username: "u", password: "p" } })).toContainEqual(
      expect.objectContaining({ property: "configuration.basic.password" }),
    );
  });

  it("does not judge values not known yet, nor types newer than the snapshot", () => {
    expect(failures("postgresql", { ...postgres, port: UNKNOWN }, { password: UNKNOWN })).toEqual([]);
    expect(failures("a_type_from_next_year", { anything: 1 })).toEqual([]);
  });

  it("lays nested secrets into the configuration", () => {
    expect(mergeSecrets({ url: "u", basic: { username: "a" } }, { basic: { password: "p" }, query: [{ name: "k", value: "v" }] })).toEqual({
      url: "u",
      basic: { username: "a", password: "p" },
      query: [{ name: "k", value: "v" }],
    });
  });

  it("leaves out of an update only the schema's sensitive fields sent unchanged", () => {
    // Source: TF provider/internal/connections/common.go handleSensitiveValues (v2.0.0).
    expect(secretsToSend("postgresql", { password: "p", ssh_private_key: "new" }, { password: "p", ssh_private_key: "old" })).toEqual({ ssh_private_key: "new" });
    // An unflagged credential (webhook basic.password) is an ordinary field to Polytomic: always sent.
    expect(secretsToSend("webhook", { basic: { password: "p" } }, { basic: { password: "p" } })).toEqual({ basic: { password: "p" } });
    // Nothing to compare with (adoption): all sent. Unknown type: all sent.
    expect(secretsToSend("postgresql", { password: "p" }, undefined)).toEqual({ password: "p" });
    expect(secretsToSend("a_type_from_next_year", { token: "t" }, { token: "t" })).toEqual({ token: "t" });
  });
});
