/**
 * The caller's organization's global error subscribers: `GET|PUT /api/notifications/global-error-subscribers`.
 * One list per organization, replaced whole by PUT ("pass an empty list to unsubscribe everyone"),
 * answered without a `data` envelope (polytomic-typescript `notifications` Client and tests/wire/notifications.test.ts).
 */
import { Hono } from "hono";
import { answers, notifications } from "../../contract";
import { readBody } from "../http/body";
import { organizationOf } from "../http/caller";
import type { AppEnv } from "../http/context";
import type { RouteDeps } from "./deps";

export function notificationRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();
  const path = "/notifications/global-error-subscribers";
  const answer = (organizationId: string): notifications.GlobalErrorSubscribers =>
    answers.fillAnswer("globalErrorSubscribers", { emails: [...(store.state.errorSubscribers[organizationId] ?? [])] }, deps.answerFill);

  app.get(path, (c) => c.json(answer(organizationOf(c))));
  app.put(path, async (c) => {
    const organizationId = organizationOf(c);
    const body = await readBody(c, notifications.GlobalErrorSubscribersRequest);
    // Kept as sent (TF's acceptance test expects its mixed-case emails back exactly), once each.
    const emails = [...new Set(body.emails ?? [])];
    if (emails.length === 0) delete store.state.errorSubscribers[organizationId];
    else store.state.errorSubscribers[organizationId] = emails;
    store.changed();
    return c.json(answer(organizationId), 200);
  });
  return app;
}
