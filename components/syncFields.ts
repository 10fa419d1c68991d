/**
 * Which CSV columns a sync delivers. Polytomic delivers each source field of a webhook sync
 * under its own name, normalized (only letters, digits, `_`, `-` and `.` are kept), so `fields`
 * is a list of CSV columns, checked here before anything is registered: a mistake fails the
 * preview, not the create.
 */
import { fieldNames } from "../contract";
import { PIPELINE_DEFAULTS } from "./pipelineRules";

/**
 * Checks a list of CSV columns: not empty, no blank name, no two columns arriving under one
 * record key, no column arriving under none, and (when the CSV's header is known) every column
 * present in it. `where` names the setting in messages (e.g. `syncs.daily.fields`).
 */
export function checkFields(fields: unknown, where: string, header?: readonly string[]): string[] {
  if (fields !== undefined && !Array.isArray(fields)) {
    if (fields && typeof fields === "object") {
      const columns = Object.values(fields as Record<string, unknown>).map((c) => JSON.stringify(c));
      throw new Error(
        `${where}: the map form { <record key>: <CSV column> } is no longer supported: Polytomic delivers each ` +
          `column under its own normalized name (its webhook syncs send every field with target "record"), ` +
          `so nothing can be renamed. Write the CSV columns as a list instead, e.g. [${columns.join(", ")}]`,
      );
    }
    throw new Error(`${where}: must be a list of CSV column names`);
  }
  const list = (fields as readonly unknown[] | undefined) ?? PIPELINE_DEFAULTS.fields;
  if (list.length === 0) throw new Error(`${where}: list at least one CSV column`);
  for (const column of list) {
    if (typeof column !== "string" || column.trim() === "") throw new Error(`${where}: a CSV column name is empty`);
  }
  const columns = list as string[];
  const problems = fieldNames.fieldNameProblems(columns);
  if (problems.length > 0) throw new Error(`${where}: ${problems.map(fieldNames.describeFieldNameProblem).join("; ")}`);
  if (header) {
    const missing = columns.filter((column) => !header.includes(column));
    if (missing.length > 0) {
      throw new Error(`${where}: ${missing.map((c) => `"${c}"`).join(", ")} not in the CSV's header (${header.join(", ")})`);
    }
  }
  return [...new Set(columns)];
}

/** Where a component's arguments come from, for messages that name the setting and its fix. */
export interface SettingNames {
  /** The Pulumi config namespace the arguments were read from (e.g. `polytomic-pipelines`), if any. */
  readonly configNamespace?: string;
}

/**
 * One line for the first of `columns` the model does not have, or undefined when all are there.
 * `modelFields` are the model's field names as Polytomic lists them (known once the model exists,
 * i.e. from the second preview on); `where` is the setting (`fields`, `syncs.daily.fields`).
 */
export function columnsMissingFromModel(
  columns: readonly string[],
  modelFields: readonly string[],
  where: string,
  modelName: string,
  names: SettingNames = {},
): string | undefined {
  const missing = columns.filter((column) => !modelFields.includes(column));
  if (missing.length === 0) return undefined;
  const setting = names.configNamespace ? `${names.configNamespace}:${where}` : where;
  const index = columns.indexOf(missing[0]);
  const fix = names.configNamespace
    ? `pulumi config set --path '${where}[${index}]' <one of those columns>   # or remove it: pulumi config rm --path '${where}[${index}]'`
    : `list only columns the model has in ${where}`;
  return (
    `${setting}: ${missing.map((c) => `"${c}"`).join(", ")} ${missing.length === 1 ? "is not a field" : "are not fields"} of model ` +
    `${modelName}, whose columns are ${modelFields.join(", ")}. Fix: ${fix}`
  );
}
