/**
 * Credentials the connection-type schemas do not flag `sensitive`, kept secret all the same.
 *
 * Every `sensitive` flag of the 226 schemas is on a top-level field; the nested authentication
 * blocks that the webhook-style types share carry none. Found by searching every schema for
 * password-, secret-, token-, key- and credential-like names and titles without `sensitive`
 * (the list and what was decided for each are in docs/resources/typed-connections.md). A path is
 * dotted through object properties; the value there (an array included) is the secret.
 *
 * Sources for treating them as secrets: the webhook docs page describes `basic`, `header`, `query`
 * and `oauth_client_credentials` as the ways the destination authenticates Polytomic (docs
 * `guides/configuring-your-connections/connections/webhook`, via polytomic-api.md section 2.1),
 * so the password, the header's value, the query-string key and the client secret are what a
 * third party could use to impersonate Polytomic; `query` entries are "Query string
 * authentication parameters" by their schema title, so the whole list is the credential.
 */

/** Dotted paths (inside `configuration`) of the credentials the schemas forget, by connection type. */
export const UNFLAGGED_CREDENTIALS: Readonly<Record<string, readonly string[]>> = {
  webhook: ["basic.password", "header.value", "query", "oauth.client_secret"],
  // The same authentication block, one level down under `auth` (titles "Authentication method").
  api: ["auth.basic.password", "auth.header.value", "auth.query", "auth.oauth.client_secret"],
  csv: ["auth.basic.password", "auth.header.value", "auth.query", "auth.oauth.client_secret"],
  httpenrichment: ["auth.basic.password", "auth.header.value", "auth.query", "auth.oauth.client_secret"],
};
