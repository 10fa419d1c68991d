/**
 * The verbs of a kind whose objects form a plain API collection (list, get, POST create, PUT
 * full replacement, DELETE): roles, policies, users, models (which say more on a refused delete).
 * Each kind says which collection, how its inputs become a body and how an answer reads back.
 */
import { isNotFound, type PolytomicClient } from "../../../client";
import type { KindContext, KindSpec, ServerView } from "../kind";

/** What the client offers for one collection (client/orgAdmin.ts). */
type Collection<Item, Body> = {
  create(body: Body, opts?: { idempotencyKey?: string }): Promise<Item>;
  get(id: string): Promise<Item>;
  update(id: string, body: Body): Promise<Item>;
  delete(id: string): Promise<void>;
};

type Verbs<A extends Record<string, unknown>> = Pick<KindSpec<A>, "create" | "get" | "update" | "delete">;

export function collectionVerbs<A extends Record<string, unknown>, Item extends { id: string }, Body>(
  of: (client: PolytomicClient, ctx: KindContext) => Collection<Item, Body>,
  body: (args: A) => Body,
  view: (server: Item) => ServerView,
): Verbs<A> {
  return {
    async create(ctx, args, idempotencyKey) {
      const server = await of(ctx.client, ctx).create(body(args), { idempotencyKey });
      return { id: server.id, view: view(server) };
    },
    async get(ctx, id) {
      return view(await of(ctx.client, ctx).get(id));
    },
    async update(ctx, id, args) {
      return view(await of(ctx.client, ctx).update(id, body(args)));
    },
    async delete(ctx, id) {
      // An object already gone counts as deleted (only a 404 means gone).
      try {
        await of(ctx.client, ctx).delete(id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
  };
}
