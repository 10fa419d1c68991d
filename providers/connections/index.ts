/**
 * One typed class per Polytomic connection type (`PostgresqlConnection`, `WebhookConnection`...),
 * generated from Polytomic's own schemas of its types (generated/, scripts/generateConnections.ts),
 * on the base they share. The generic `Connection` stays for types newer than this package.
 */
export { TypedConnection, type TypedConnectionArgs } from "./typedConnection";
export * from "./generated";
