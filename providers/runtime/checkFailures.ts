/** zod issues as Pulumi check failures, naming the field; values not known yet are not judged. */
import type { z } from "zod";
import type { Failure } from "./kind";
import { containsUnknown } from "./shape";

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), "");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown[] {
  // Every value along the path: an unknown parent makes the whole branch unknown.
  const values: unknown[] = [root];
  let current = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") break;
    current = (current as Record<PropertyKey, unknown>)[part];
    values.push(current);
  }
  return values;
}

/** What a failure needs of an issue: zod's, or any validator's of the same shape (contract/connectionTypes). */
type Issue = Pick<z.core.$ZodIssue, "path" | "message">;

export function issuesToFailures(issues: readonly Issue[], root: unknown, prefix: readonly PropertyKey[] = []): Failure[] {
  return issues
    .filter((issue) => !valueAt(root, issue.path).some((v) => typeof v === "string" && containsUnknown(v)))
    .filter((issue) => !containsUnknown(valueAt(root, issue.path).pop()))
    .map((issue) => ({ property: formatPath([...prefix, ...issue.path]), reason: issue.message }));
}
