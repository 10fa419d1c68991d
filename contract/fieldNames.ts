/**
 * How a source field's name becomes the key of a delivered record, as Polytomic's "Syncing to
 * custom webhooks" page specifies it: every field of a webhook sync has target `"record"`, and
 * the record carries the *source* field under its normalized name. Normalization strips every
 * character that is not alphanumeric, an underscore, a hyphen or a period (`$first_name`
 * arrives as `first_name`).
 *
 * The page says normalization "can be turned off", but neither the API reference, the SDK nor
 * the Terraform provider documents a switch for model syncs (`normalize_names` exists only on
 * bulk syncs), so none is modelled here.
 *
 * One module for the emulator (which delivers), the providers and the component (which refuse
 * at preview what the API would refuse at create).
 */

/** The only target a field of a sync to a webhook (`target.object: "http"`) may have. */
export const WEBHOOK_FIELD_TARGET = "record";

/** The documented rule, quoted in errors. */
export const WEBHOOK_TARGET_RULE =
  'a sync to a webhook (target.object "http") sets each field\'s target to "record"; the record key is the source field\'s normalized name';

/**
 * A CSV header cell as a field name: trimmed of the spaces around it. The model's fields, the
 * rows a run reads and the columns the component checks at preview all name columns this way,
 * so a padded header cell is one field everywhere.
 */
export const csvColumnName = (cell: string): string => cell.trim();

/** Keeps letters, digits, `_`, `-` and `.`. */
export function normalizeFieldName(name: string): string {
  return name.replace(/[^\p{L}\p{N}_.-]/gu, "");
}

/** Two or more source fields that would arrive under one record key, or under none. */
export type FieldNameProblem =
  | { kind: "collision"; key: string; fields: readonly string[] }
  | { kind: "empty"; field: string };

/** Every problem of a list of source field names, in order of first appearance. */
export function fieldNameProblems(names: readonly string[]): FieldNameProblem[] {
  const problems: FieldNameProblem[] = [];
  const byKey = new Map<string, string[]>();
  for (const name of names) {
    const key = normalizeFieldName(name);
    if (key === "") {
      problems.push({ kind: "empty", field: name });
      continue;
    }
    const same = byKey.get(key);
    if (same) same.push(name);
    else byKey.set(key, [name]);
  }
  for (const [key, fields] of byKey) {
    // The same column listed twice is one field, not a collision of two.
    const distinct = [...new Set(fields)];
    if (distinct.length > 1) problems.push({ kind: "collision", key, fields: distinct });
  }
  return problems;
}

/** One sentence per problem, naming the fields (never their values). */
export function describeFieldNameProblem(problem: FieldNameProblem): string {
  return problem.kind === "empty"
    ? `field "${problem.field}" normalizes to an empty record key (only letters, digits, '_', '-' and '.' are kept); rename the column`
    : `fields ${problem.fields.map((f) => `"${f}"`).join(" and ")} both arrive as record key "${problem.key}" after normalization; deliver only one of them or rename a column`;
}
