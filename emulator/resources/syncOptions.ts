/**
 * The rules of a sync's options beyond its fields and target connection: target filters, a new
 * target object, override fields and conditional overrides. Each rule names its source.
 */
import { syncs } from "../../contract";
import { unprocessable } from "../http/errors";

/** Throws the API's 422 for the first option the request gets wrong. */
export function checkSyncOptions(body: syncs.CreateSyncRequest, targetType: string): void {
  // TF resource_sync.go:72 `object`: "Mutually exclusive with `create`".
  if (body.target.create !== undefined && body.target.object !== undefined) {
    throw unprocessable("target: name an existing object (target.object) or a new one (target.create), not both", { field: "target.create" });
  }
  const conditions = [
    ...(body.filters ?? []).map((f, i) => ({ fn: f.function, at: `filters.${i}.function` })),
    ...(body.overrides ?? []).map((o, i) => ({ fn: o.function, at: `overrides.${i}.function` })),
  ];
  for (const { fn, at } of conditions) {
    // TS FilterFunction: the conditions Polytomic has.
    if (fn !== undefined && !(syncs.FILTER_FUNCTIONS as readonly string[]).includes(fn)) {
      throw unprocessable(`${at}: "${fn}" is not a filter function (${syncs.FILTER_FUNCTIONS.join(", ")})`, { field: at });
    }
  }
  body.filters?.forEach((filter, i) => {
    if (filter.field_type === "Target") {
      // TF resource_sync.go:208 `target_filters`: "Only valid for syncs with mode `update`"; sent with the target field as field_id (:705).
      if (body.mode !== "update") {
        throw unprocessable(`filters.${i}: a target filter (field_type "Target") is only valid for syncs with mode "update"`, { field: `filters.${i}.field_type` });
      }
      if (!filter.field_id) throw unprocessable(`filters.${i}.field_id: a target filter names the target field`, { field: `filters.${i}.field_id` });
    } else if (!filter.field && !filter.field_id) {
      // TS Filter: "Either `field` or `field_id` must be provided".
      throw unprocessable(`filters.${i}: name the model field (field or field_id)`, { field: `filters.${i}.field` });
    }
  });
  body.overrides?.forEach((override, i) => {
    // TS Override: "Either `field` or `field_id` must be provided".
    if (!override.field && !override.field_id) throw unprocessable(`overrides.${i}: name the model field (field or field_id)`, { field: `overrides.${i}.field` });
  });
  if (targetType === "webhook" && (body.override_fields?.length ?? 0) > 0) {
    // Polytomic's custom-webhook guide: a webhook sync delivers model fields, each under its source
    // field's name (every target is "record"): a constant has no name to arrive under.
    throw unprocessable("override_fields: a webhook sync delivers model fields under their own names; a constant has no record key", {
      field: "override_fields",
    });
  }
}
