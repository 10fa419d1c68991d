/**
 * Telling a fresh create from a possible replay, so the read that guards against a replayed
 * create naming a deleted object is made only when the answer can be such a replay.
 *
 * Why a replay can name a deleted object: creates carry an Idempotency-Key derived from what is
 * declared. Destroy, then `up` again within the key's lifetime (Polytomic keeps keys at least
 * 24 hours), and the API replays the first create's answer: an id that no longer exists.
 *
 * An answer is treated as fresh (no read) only when both hold:
 * - it is not marked as a replay (`Idempotent-Replayed`, which the emulator sets; real
 *   Polytomic's marking is undocumented, so its absence alone proves nothing), and
 * - the object's `created_at` is no earlier than the answer's own `Date` header minus the time
 *   the request took (measured here, from the first attempt). Both instants come from the
 *   server's clock, so clock skew between us and the API plays no part. An object created by
 *   this request cannot be older than that; an object replayed from an earlier request, older
 *   than the request's round trip plus the one second `Date` is truncated to, is.
 * Anything missing or unparsable (no `Date`, no `created_at`) means "may be a replay": the read
 * is made, as before. What stays uncovered is a replay whose original create, a deletion of that
 * object and this request all fall within about one second, which no destroy-then-up cycle of
 * the engine can do.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** What the answer to one create said about itself. */
export interface CreateAnswer {
  /** When the first attempt of the create was sent (local clock, ms). */
  sentAt?: number;
  /** Local time the first successful answer arrived (ms). */
  answeredAt?: number;
  /** The `Idempotent-Replayed` header, if any. */
  replayed?: string | null;
  /** The answer's `Date` header. */
  date?: string | null;
  /** `data.created_at` of the answer's body. */
  createdAt?: unknown;
}

const current = new AsyncLocalStorage<CreateAnswer>();

/** Runs `create` and collects what its first successful POST's answer says about itself. */
export async function watchCreate<T>(create: () => Promise<T>): Promise<{ result: T; answer: CreateAnswer }> {
  const answer: CreateAnswer = {};
  const result = await current.run(answer, create);
  return { result, answer };
}

/**
 * A fetch for the shared API client: outside `watchCreate` it is plain fetch; inside, it notes
 * the timing, headers and `created_at` of the create's POST.
 */
export function answerWatchingFetch(base?: typeof fetch): typeof fetch {
  // The global fetch is looked up at each call, so one stubbed by a test is used.
  const send: typeof fetch = (input, init) => (base ?? globalThis.fetch)(input, init);
  return async (input, init) => {
    const answer = current.getStore();
    if (!answer || init?.method !== "POST" || answer.answeredAt !== undefined) return send(input, init);
    answer.sentAt ??= Date.now();
    const response = await send(input, init);
    if (response.ok) {
      answer.answeredAt = Date.now();
      answer.replayed = response.headers.get("idempotent-replayed");
      answer.date = response.headers.get("date");
      try {
        answer.createdAt = (JSON.parse(await response.clone().text()) as { data?: { created_at?: unknown } }).data?.created_at;
      } catch {
        answer.createdAt = undefined;
      }
    }
    return response;
  };
}

/** True unless the answer shows it was made by this very request (see the module comment). */
export function mayBeReplay(answer: CreateAnswer): boolean {
  if (answer.replayed != null && answer.replayed.trim().toLowerCase() !== "false") return true;
  if (answer.sentAt === undefined || answer.answeredAt === undefined) return true;
  const serverNow = Date.parse(answer.date ?? "");
  const createdAt = typeof answer.createdAt === "string" ? Date.parse(answer.createdAt) : NaN;
  if (!Number.isFinite(serverNow) || !Number.isFinite(createdAt)) return true;
  return createdAt < serverNow - (answer.answeredAt - answer.sentAt);
}
