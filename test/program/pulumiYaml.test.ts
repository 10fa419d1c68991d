/**
 * Pulumi.yaml declares the config defaults for the CLI; the program's rules
 * (components/pipelineRules.ts, through program/config.ts) are where they are written. These must
 * agree: a default changed in one place only would make `pulumi config` and the program disagree.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PIPELINE_DEFAULTS } from "../../components/pipelineRules";
import { CONFIG_DEFAULTS } from "../../program/config";

// js-yaml comes with @pulumi/pulumi (no typings of its own here).
const yaml = require("js-yaml") as { load(text: string): unknown };

interface ProjectFile {
  config: Record<string, { type?: string; default?: unknown }>;
}

const project = yaml.load(fs.readFileSync(path.resolve(__dirname, "../../Pulumi.yaml"), "utf8")) as ProjectFile;
const declared = Object.fromEntries(
  Object.entries(project.config)
    .filter(([, spec]) => spec.default !== undefined)
    .map(([key, spec]) => [key, spec.default]),
);

/** Defaults Pulumi.yaml gives in its comment instead of declaring them. */
const ONLY_IN_COMMENT = ["fields", "active"];

describe("Pulumi.yaml", () => {
  it("declares the program's config defaults", () => {
    const expected = Object.fromEntries(Object.entries(CONFIG_DEFAULTS).filter(([key]) => !ONLY_IN_COMMENT.includes(key)));
    expect(declared).toEqual(expected);
  });

  it("leaves number and boolean keys untyped, so a bad value gets the program's message and fix, not the CLI's", () => {
    // A typed key is checked by the CLI before the program runs: "must be of type 'integer'", no fix.
    const typed = Object.entries(project.config).filter(([, spec]) => spec.type !== undefined && spec.type !== "string" && spec.type !== "object");
    expect(typed).toEqual([]);
  });

  it("states the others in its comment", () => {
    const comment = fs
      .readFileSync(path.resolve(__dirname, "../../Pulumi.yaml"), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("#"))
      .map((line) => line.slice(1).trim())
      .join(" ")
      .replace(/\s+/g, " ");
    expect(comment).toContain(`list of CSV columns the syncs deliver (default: ${CONFIG_DEFAULTS.fields.join(", ")})`);
    expect(comment).toContain(`active boolean (default ${CONFIG_DEFAULTS.active})`);
  });

  it("takes the pipeline's defaults from the pipeline's rules", () => {
    expect(CONFIG_DEFAULTS).toMatchObject({
      fields: PIPELINE_DEFAULTS.fields,
      batchSize: PIPELINE_DEFAULTS.batchSize,
      recordRequests: PIPELINE_DEFAULTS.recordRequests,
      schedule: PIPELINE_DEFAULTS.schedule,
      active: PIPELINE_DEFAULTS.active,
      objectName: PIPELINE_DEFAULTS.objectName,
      gcpForceDestroy: PIPELINE_DEFAULTS.forceDestroy,
      orgWebhookDisabled: PIPELINE_DEFAULTS.orgWebhookDisabled,
    });
  });
});
