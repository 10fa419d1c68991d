/**
 * The providers' credentials: where they come from, and one check per run that they work.
 *
 * `configure` hands over the config the engine sends. For `up` and `preview` that is the current
 * stack config; for `refresh` and `destroy` the engine sends what the last `up` recorded in the
 * state (the default `pulumi-nodejs` provider's inputs), unless the program runs too
 * (`--run-program`, or PULUMI_RUN_PROGRAM=true). The failure messages say so, because that is
 * the one step that fixes a rotated key or a corrected URL; a caller that asks for it is also
 * told so as data (providers/recordedConfig.ts), and may take that step by itself.
 */
import { createClient, PolytomicApiError, PolytomicNetworkError } from "../../client";
import { signalRecordedConfigFailure } from "../recordedConfig";
import { ExpectedFailure } from "./expectedFailure";

/** Where a setting was read from, so messages name what to fix. */
export interface Setting {
  value: string;
  source: string;
}

export interface Credentials {
  url?: Setting;
  apiKey?: Setting;
  /** A Connect partner's key: organizations, and objects inside one (`organizationId`). */
  partnerKey?: Setting;
}

/** Which key an operation needs. */
export type KeyKind = "apiKey" | "partnerKey";

interface ConfigReader {
  get(key: string): string | undefined;
}

const URL_FIX = "`pulumi config set polytomic:url <base URL>` (or POLYTOMIC_URL)";
const KEY_FIX = "`pulumi config set --secret polytomic:apiKey <key>` (or POLYTOMIC_API_KEY)";
const PARTNER_KEY_FIX = "`pulumi config set --secret polytomic:partnerKey <key>` (or POLYTOMIC_PARTNER_KEY)";
const FIX: Record<KeyKind, string> = { apiKey: KEY_FIX, partnerKey: PARTNER_KEY_FIX };
const KEY_NAME: Record<KeyKind, string> = { apiKey: "the API key", partnerKey: "the partner key" };
const RECORDED_HINT =
  "If you changed it since the last `pulumi up`: without the program, `pulumi refresh` and `pulumi destroy` use the " +
  "config that `up` recorded in the state; run them with --run-program (or PULUMI_RUN_PROGRAM=true; `npm run pulumi` does so by itself).";

/** The URL or key does not work. */
export class CredentialFailure extends ExpectedFailure {}

/**
 * For refresh and destroy (the only operations that may run on recorded config): the same
 * failure, plus how to make them use the current config; and the signal for a caller that asked.
 */
export function withRecordedConfigHint(err: unknown, env: NodeJS.ProcessEnv = process.env): unknown {
  if (!(err instanceof CredentialFailure)) return err;
  signalRecordedConfigFailure({ message: err.message }, env);
  return new CredentialFailure(`${err.message} ${RECORDED_HINT}`);
}

/** Stack config first, then the environment (POLYTOMIC_URL / POLYTOMIC_API_KEY). Never stored by us. */
export function readCredentials(config: ConfigReader, env: NodeJS.ProcessEnv = process.env): Credentials {
  const read = (key: string) => {
    try {
      return config.get(key) || undefined;
    } catch {
      return undefined;
    }
  };
  const pick = (key: string, envName: string): Setting | undefined => {
    const fromConfig = read(key);
    if (fromConfig) return { value: fromConfig, source: key };
    const fromEnv = env[envName];
    return fromEnv ? { value: fromEnv, source: envName } : undefined;
  };
  return {
    url: pick("polytomic:url", "POLYTOMIC_URL"),
    apiKey: pick("polytomic:apiKey", "POLYTOMIC_API_KEY"),
    partnerKey: pick("polytomic:partnerKey", "POLYTOMIC_PARTNER_KEY"),
  };
}

/**
 * The URL and the key an operation needs (`purpose` names who needs a partner key); throws a
 * message naming every missing setting and how to set it.
 */
export function requireCredentials(creds: Credentials, kind: KeyKind = "apiKey", purpose = ""): { url: Setting; key: Setting } {
  const key = creds[kind];
  if (creds.url && key) return { url: creds.url, key };
  const missing = [!creds.url && `the API URL: ${URL_FIX}`, !key && `${KEY_NAME[kind]}${purpose}: ${FIX[kind]}`].filter(Boolean);
  throw new ExpectedFailure(`Polytomic provider is not configured: set ${missing.join(" and ")}`);
}

/** The key a run checks: the API key when there is one, else the partner key. */
export function keyToVerify(creds: Credentials): KeyKind {
  return creds.apiKey || !creds.partnerKey ? "apiKey" : "partnerKey";
}

/**
 * One `GET /api/me`: fails in seconds, with the setting to fix, when the key is refused or the
 * URL does not answer like Polytomic. Never includes the key itself.
 */
export async function verifyCredentials(
  creds: { url: Setting; key: Setting },
  fetchImpl?: typeof fetch,
  kind: KeyKind = "apiKey",
): Promise<void> {
  const client = createClient({
    baseUrl: creds.url.value,
    apiKey: creds.key.value,
    // A preview on a pull request should fail fast, not after the default backoff.
    timeoutMs: 10_000,
    retry: { attempts: 2, baseDelayMs: 300, maxDelayMs: 2_000 },
    fetch: fetchImpl,
  });
  const where = `${creds.url.value} (${creds.url.source})`;
  try {
    await client.me();
  } catch (err) {
    if (err instanceof PolytomicApiError && (err.status === 401 || err.status === 403)) {
      throw new CredentialFailure(
        `The Polytomic API at ${where} refused ${KEY_NAME[kind]} from ${creds.key.source} (HTTP ${err.status}). Set a valid key: ${FIX[kind]}.`,
      );
    }
    if (err instanceof PolytomicNetworkError) {
      throw new CredentialFailure(`Cannot reach the Polytomic API at ${where}: ${causeOf(err)}. Check the URL (${URL_FIX}) and that the API is up.`);
    }
    if (err instanceof PolytomicApiError) {
      throw new CredentialFailure(
        `${where} does not answer like the Polytomic API (GET /api/me: HTTP ${err.status}). Set its base URL, e.g. https://app.polytomic.com: ${URL_FIX}.`,
      );
    }
    // A 200 that is not an identity: something else listens there.
    throw new CredentialFailure(`${where} does not answer like the Polytomic API (GET /api/me: ${messageOf(err)}). Set its base URL: ${URL_FIX}.`);
  }
}

function causeOf(err: PolytomicNetworkError): string {
  const cause = err.cause as { message?: string; cause?: { code?: string; message?: string } } | undefined;
  return cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? "no answer";
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
