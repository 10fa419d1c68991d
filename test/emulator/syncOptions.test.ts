/**
 * A sync's options beyond its field mapping, as the emulator answers them: every schedule form
 * echoed as sent, override fields answered inside `fields`, and the rules of
 * emulator/resources/syncOptions.ts (each with its source there).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { bodies, call, createPipeline, startTestEmulator } from "./support";

let emulator: Emulator;
let ids: Awaited<ReturnType<typeof createPipeline>>;
beforeAll(async () => {
  emulator = await startTestEmulator();
  ids = await createPipeline(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});

const post = (extra: Record<string, unknown>) => call(emulator, "POST", "/api/syncs", bodies.sync(ids.modelId, ids.webhookId, extra));

describe("schedules", () => {
  const forms: Record<string, Record<string, unknown>> = {
    manual: { frequency: "manual" },
    continuous: { frequency: "continuous" },
    hourly: { frequency: "hourly", minute: "15" },
    daily: { frequency: "daily", hour: "10", minute: "30" },
    weekly: { frequency: "weekly", day_of_week: "1", hour: "8", minute: "0" },
    custom: { frequency: "custom", minute: "0", hour: "6", day_of_month: "1", month: "*", day_of_week: "*" },
    dbtcloud: { frequency: "dbtcloud", job_id: 4242, connection_id: "00000000-0000-4000-8000-0000000000db" },
    multi: { frequency: "multi" },
  };
  for (const [name, schedule] of Object.entries(forms)) {
    it(`answers a ${name} schedule as sent, and reads it back so`, async () => {
      const created = await post({ schedule });
      expect(created.status, created.text).toBe(200);
      expect(created.body.data.schedule).toEqual(schedule);
      expect((await call(emulator, "GET", `/api/syncs/${created.body.data.id}`)).body.data.schedule).toEqual(schedule);
    });
  }

  it("answers a run-after schedule naming another sync", async () => {
    const schedule = { frequency: "runafter", run_after: { sync_ids: [ids.syncId] }, run_after_success_only: true };
    const created = await post({ schedule });
    expect(created.status, created.text).toBe(200);
    expect(created.body.data.schedule).toEqual(schedule);
  });

  it("refuses an hour or minute out of range", async () => {
    const refused = await post({ schedule: { frequency: "daily", hour: "24", minute: "0" } });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("schedule.hour");
  });
});

describe("option rules", () => {
  it("refuses an existing and a new target object together", async () => {
    const refused = await post({ target: { connection_id: ids.webhookId, object: "http", create: { name: "contacts" } } });
    expect(refused.status).toBe(422);
    expect(refused.body.metadata.field).toBe("target.create");
  });

  it("takes target filters only with mode update", async () => {
    const refused = await post({ filters: [{ function: "IsNotNull", field_id: "email", field_type: "Target" }] });
    expect(refused.status).toBe(422);
    expect(refused.body.metadata.field).toBe("filters.0.field_type");
  });

  it("refuses a filter function Polytomic does not have, and a model filter or override without its field", async () => {
    expect((await post({ filters: [{ function: "Like", field: { model_id: ids.modelId, field: "first_name" } }] })).body.metadata.field).toBe("filters.0.function");
    expect((await post({ overrides: [{ function: "Like", field: { model_id: ids.modelId, field: "first_name" }, override: "x" }] })).body.metadata.field).toBe(
      "overrides.0.function",
    );
    expect((await post({ filters: [{ function: "IsNull", field_type: "Model" }] })).body.metadata.field).toBe("filters.0.field");
    expect((await post({ overrides: [{ function: "IsNull", override: "x" }] })).body.metadata.field).toBe("overrides.0.field");
    const unknownField = await post({ overrides: [{ field: { model_id: ids.modelId, field: "nope" }, function: "IsNull", override: "x" }] });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.metadata.field).toBe("overrides.0.field.field");
  });

  it("refuses override fields on a webhook target, whose records carry model fields only", async () => {
    const refused = await post({ override_fields: [{ target: "record", override_value: "x" }] });
    expect(refused.status).toBe(422);
    expect(refused.body.metadata.field).toBe("override_fields");
  });

  it("never answers the passphrase", async () => {
    const created = await post({ encryption_passphrase: "never-answered-phrase" });
    expect(created.status, created.text).toBe(200);
    expect(created.text).not.toContain("never-answered-phrase");
    expect((await call(emulator, "GET", `/api/syncs/${created.body.data.id}`)).text).not.toContain("never-answered-phrase");
  });
});
