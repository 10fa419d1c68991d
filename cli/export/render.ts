/**
 * The plan as TypeScript: `index.ts` of the exported program. Pure text from the plan, so the
 * same organization always gives the same bytes.
 */
import type { ExportPlan, PlannedResource } from "./plan";
import { Code, isFields, Value } from "./values";

/** Lines longer than this break objects and arrays over several lines. */
const WIDTH = 100;
const INDENT = "  ";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const keyText = (key: string) => (IDENTIFIER.test(key) ? key : JSON.stringify(key));

function inline(value: Value): string {
  if (value instanceof Code) return value.text;
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  if (isFields(value)) {
    const members = Object.entries(value).filter(([, v]) => v !== undefined);
    return members.length === 0 ? "{}" : `{ ${members.map(([k, v]) => `${keyText(k)}: ${inline(v as Value)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** `value` written where `column` characters are already on the line, at nesting `indent`. */
function render(value: Value, indent: string, column: number, forceBreak = false): string {
  const flat = inline(value);
  const breakable = Array.isArray(value) ? value.length > 0 : isFields(value) && Object.keys(value).length > 0;
  if (!breakable || (!forceBreak && column + flat.length + 2 <= WIDTH)) return flat;
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => `${inner}${render(item, inner, inner.length)},\n`).join("")}${indent}]`;
  }
  const members = Object.entries(value as Record<string, Value | undefined>).filter(([, v]) => v !== undefined);
  const lines = members.map(([key, v]) => {
    const head = `${inner}${keyText(key)}: `;
    return `${head}${render(v as Value, inner, head.length)},\n`;
  });
  return `{\n${lines.join("")}${indent}}`;
}

/** `// …` lines, wrapped at the width. */
function comment(text: string, indent = ""): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent.length + 3 + line.length + 1 + word.length > WIDTH) {
      lines.push(`${indent}// ${line}`);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(`${indent}// ${line}`);
  return lines;
}

/** One resource as the program writes it: its label comment, notes, and `const … = new …(…);`. */
export function resourceText(resource: PlannedResource): string {
  const lines = [`// ${resource.label}`];
  for (const note of resource.undeclared) lines.push(...comment(`Note: ${note}.`));
  const head = `const ${resource.variable} = new ${resource.className}(${JSON.stringify(resource.name)}, `;
  lines.push(`${head}${render(resource.args, "", head.length, true)});`);
  return lines.join("\n");
}

/** `import { A, B } from "pkg";`, broken over lines when long. */
function importLines(names: readonly string[], packageName: string): string[] {
  if (names.length === 0) return [];
  const from = ` from ${JSON.stringify(packageName)};`;
  const flat = `import { ${names.join(", ")} }${from}`;
  if (flat.length <= WIDTH) return [flat];
  return ["import {", ...names.map((name) => `${INDENT}${name},`), `}${from}`];
}

export interface ProgramHeader {
  url: string;
  organization: { id: string; name?: string };
  /** The npm package the program imports the resources from. */
  packageName: string;
}

export function renderProgram(plan: ExportPlan, header: ProgramHeader): string {
  const org = header.organization.name ? `${JSON.stringify(header.organization.name)} (${header.organization.id})` : header.organization.id;
  const lines = [
    ...comment(`Polytomic organization ${org} at ${header.url}, exported by \`npm run export\` of ${header.packageName}.`),
    ...comment(
      "Every resource adopts its existing object by id (adoptId): the first `pulumi up` takes the objects over " +
        "without creating anything and writes only the secrets below, which Polytomic never shows back. " +
        "Compile with `npm run build` before each pulumi command.",
    ),
  ];
  if (plan.secrets.length > 0) {
    lines.push("//", "// Secrets read from the stack config (`pulumi config set --secret <key>` in each stack):");
    const width = Math.max(...plan.secrets.map((s) => s.configKey.length));
    for (const secret of plan.secrets) lines.push(`//   ${secret.configKey.padEnd(width)}  ${secret.label}: ${secret.property}`);
  }
  if (plan.secrets.length > 0) lines.push('import * as pulumi from "@pulumi/pulumi";');
  lines.push(...importLines(plan.imports, header.packageName), "");
  if (plan.secrets.length > 0) lines.push("const config = new pulumi.Config();", "");
  return `${[...lines, plan.resources.map(resourceText).join("\n\n")].join("\n")}\n`;
}
