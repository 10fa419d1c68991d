/** Stored models as several routes need them: the file behind a model, how to read it, the served shape. */
import { answers, connections, type models } from "../../contract";
import type { GcsBuckets } from "../gcs/buckets";
import type { StoredConnection, StoredModel } from "../store/state";
import { API_ACTOR } from "./actor";

/** The bucket and the object key a model over a gcs connection reads (the connection's path first). */
export function modelObject(connection: StoredConnection, config: { key: string; subfolder?: string }): { bucket: string; key: string } {
  const { bucket, path } = connections.parseGcsBucket(String(connection.configuration.bucket ?? ""));
  const parts = [path, config.subfolder?.replace(/^\/+|\/+$/g, ""), config.key.replace(/^\/+/, "")].filter((p) => p);
  return { bucket, key: parts.join("/") };
}

/** The local file behind a model over a gcs connection, if it exists. */
export function modelFile(buckets: GcsBuckets, connection: StoredConnection, config: { key: string; subfolder?: string }): string | undefined {
  const { bucket, key } = modelObject(connection, config);
  if (!buckets.bucketExists(bucket)) return undefined;
  return buckets.objectExists(bucket, key) ? buckets.objectPath(bucket, key) : undefined;
}

/** How to read the model's CSV: the model's `skip_lines` wins over the connection's. */
export function csvOptions(connection: StoredConnection, config: { skip_lines?: number }) {
  const connectionSkip = connection.configuration.skip_lines;
  return {
    hasHeaders: connection.configuration.csv_has_headers !== false,
    skipLines: config.skip_lines ?? (typeof connectionSkip === "number" ? connectionSkip : 0),
  };
}

/**
 * The model as the API serves it (also what the run engine receives): optional request fields as
 * sent, the server's defaults filled in (contract/answers.ts).
 */
export function modelShape(model: StoredModel, fill: answers.AnswerFill, sourceType = "gcs"): models.Model {
  return answers.fillAnswer("model", {
    id: model.id,
    name: model.name,
    connection_id: model.connection_id,
    organization_id: model.organization_id,
    configuration: model.configuration,
    // The source connection's type (contract/answers.ts `model.type`).
    type: sourceType,
    version: model.version,
    ...(model.identifier === undefined ? {} : { identifier: model.identifier }),
    ...(model.tracking_columns === undefined ? {} : { tracking_columns: model.tracking_columns }),
    fields: model.fields,
    ...(model.labels === undefined ? {} : { labels: model.labels.map((id) => ({ id })) }),
    ...(model.policies === undefined ? {} : { policies: model.policies }),
    ...(model.relations === undefined ? {} : { relations: model.relations }),
    ...(model.enricher === undefined ? {} : { enricher: model.enricher }),
    created_at: model.created_at,
    created_by: API_ACTOR,
    updated_at: model.updated_at,
    updated_by: API_ACTOR,
  }, fill);
}
