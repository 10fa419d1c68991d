/**
 * The organization's event webhook: `/api/webhooks[/{id}[/enable|/disable]]`.
 * One per organization; the secret is echoed as sent (the docs' examples do, and GET
 * redaction is unverified).
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { answers, webhooks } from "../../contract";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { notFound, unprocessable } from "../http/errors";
import type { StoredWebhook } from "../store/state";
import { checkOrganization } from "../resources/organization";
import { allOwnedBy, ownedBy } from "../resources/owned";
import { organizationOf } from "../http/caller";
import { type RouteDeps, timestamp } from "./deps";
import { byCreation } from "./order";

export function webhookRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();

  const find = (c: Context<AppEnv>, id: string): StoredWebhook => {
    const webhook = ownedBy(store.state.webhooks, id, organizationOf(c));
    if (!webhook) throw notFound("webhook", id);
    return webhook;
  };

  app.get("/webhooks", (c) => c.json({ data: allOwnedBy(store.state.webhooks, organizationOf(c)).sort(byCreation).map((w) => shape(w, deps.answerFill)) }));

  app.post("/webhooks", async (c) => {
    const body = await readBody(c, webhooks.CreateWebhookRequest);
    const organizationId = organizationOf(c);
    checkOrganization(body.organization_id, organizationId);
    const [existing] = allOwnedBy(store.state.webhooks, organizationId);
    if (existing) {
      throw unprocessable("an organization can register a single webhook; update or delete the existing one", {
        existing_webhook_id: existing.id,
      });
    }
    const webhook: StoredWebhook = {
      id: randomUUID(),
      organization_id: organizationId,
      endpoint: body.endpoint,
      secret: body.secret,
      disabled: false,
      created_at: timestamp(),
    };
    store.state.webhooks[webhook.id] = webhook;
    store.changed();
    return c.json({ data: shape(webhook, deps.answerFill) }, 200);
  });

  app.get("/webhooks/:id", (c) => c.json({ data: shape(find(c, c.req.param("id")), deps.answerFill) }));

  app.put("/webhooks/:id", async (c) => {
    const webhook = find(c, c.req.param("id"));
    const body = await readBody(c, webhooks.UpdateWebhookRequest);
    checkOrganization(body.organization_id, webhook.organization_id);
    webhook.endpoint = body.endpoint;
    webhook.secret = body.secret;
    store.changed();
    return c.json({ data: shape(webhook, deps.answerFill) }, 200);
  });

  app.delete("/webhooks/:id", (c) => {
    const webhook = find(c, c.req.param("id"));
    delete store.state.webhooks[webhook.id];
    store.changed();
    return c.json({}, 200);
  });

  for (const [action, disabled] of [["disable", true], ["enable", false]] as const) {
    app.post(`/webhooks/:id/${action}`, (c) => {
      const webhook = find(c, c.req.param("id"));
      webhook.disabled = disabled;
      store.changed();
      return c.json({ data: shape(webhook, deps.answerFill) }, 200);
    });
  }

  return app;
}

function shape(webhook: StoredWebhook, fill: answers.AnswerFill): webhooks.Webhook {
  return answers.fillAnswer("webhook", { ...webhook }, fill);
}
