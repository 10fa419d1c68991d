#!/usr/bin/env node
/**
 * `polytomic-export --out <dir> [--stack <name>] [--project <name>] [--from-stack <stack>]`: write
 * a Pulumi program that adopts every connection, model, sync and the org webhook of a live
 * Polytomic organization. The API comes from POLYTOMIC_URL / POLYTOMIC_API_KEY, or from the
 * `polytomic:*` config of `--from-stack` (a stack of the Pulumi program in the current folder,
 * read with the `pulumi` on PATH). Exit codes: 0 written, 1 API or file error, 2 bad arguments.
 */
import * as path from "node:path";
import { createClient } from "../client";
import { runExportCommand } from "../scripts/export/command";
import { readPackageInfo } from "../scripts/export/package-info";
import { consoleLines, exitWith } from "../scripts/lib/cli";
import { stackFromPulumi } from "../scripts/sync-run/outputs";

exitWith(
  runExportCommand(process.argv.slice(2), {
    tool: "polytomic-export",
    createClient,
    stackConfig: async (stack) => (await stackFromPulumi(stack, process.env, process.cwd())()).config,
    // This file is <package>/dist/bin/polytomic-export.js.
    packageInfo: readPackageInfo(path.resolve(__dirname, "..", "..")),
    env: process.env,
    ...consoleLines,
  }),
);
