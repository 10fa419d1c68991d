/**
 * The emulator's control plane, for tests and tools in another process:
 * `GET /__emulator/stats`, `POST /__emulator/stats/reset`,
 * `GET|POST|DELETE /__emulator/faults`. Same API key as the API; never counted in stats.
 */
import { Hono } from "hono";
import { z } from "zod";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { badRequest } from "../http/errors";
import type { FaultController } from "../http/faults";
import type { StatsCollector } from "../http/stats";

/** A fault rule as JSON: `path` is a regular expression's source text. */
const FaultRuleBody = z.object({
  method: z.string().min(1).optional(),
  path: z.string().min(1),
  times: z.number().int().min(1).optional(),
  latencyMs: z.number().int().min(0).optional(),
  status: z.number().int().optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  drop: z.boolean().optional(),
});

export function adminRoutes(faults: FaultController, stats: StatsCollector): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/stats", (c) => c.json(stats.snapshot()));
  app.post("/stats/reset", (c) => {
    stats.reset();
    return c.json(stats.snapshot());
  });

  app.get("/faults", (c) => c.json({ rules: faults.list() }));
  app.post("/faults", async (c) => {
    const rule = await readBody(c, FaultRuleBody);
    try {
      const id = faults.set({ ...rule, path: new RegExp(rule.path) });
      return c.json({ id, rules: faults.list() });
    } catch (error) {
      throw badRequest(error instanceof Error ? error.message : "invalid fault rule");
    }
  });
  app.delete("/faults", (c) => {
    faults.clear();
    return c.json({ rules: [] });
  });

  return app;
}
