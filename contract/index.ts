/**
 * The Polytomic API contract, written once: the client parses responses with it, the providers
 * check inputs with it, the emulator validates requests and shapes responses with it.
 */
export * from "./common";
export { canonicalJson } from "./canonical";
export * as identity from "./identity";
export * as connections from "./connections";
export * as models from "./models";
export * as syncs from "./syncs";
export * as webhooks from "./webhooks";
export * as events from "./events";
export * as fieldNames from "./fieldNames";
export * as organizations from "./organizations";
export * as answers from "./answers";
export * as permissions from "./permissions";
export * as users from "./users";
export * as notifications from "./notifications";
export * as connectionTypes from "./connectionTypes";
export * as bulkSyncs from "./bulkSyncs";
export * as schemas from "./schemas";
