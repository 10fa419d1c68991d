/**
 * Opens a stack of this project through the Automation API with the offline Pulumi environment.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { providePulumiCli, pulumiEnv, PulumiEnvOptions, repoRoot } from "./pulumiEnv";

export interface OpenStackOptions extends Partial<PulumiEnvOptions> {
  stackName: string;
  /** Program folder holding Pulumi.yaml; default the repository root. */
  workDir?: string;
}

export interface OpenedStack {
  stack: Stack;
  env: Record<string, string>;
  binDir: string;
}

export async function openStack(opts: OpenStackOptions): Promise<OpenedStack> {
  const binDir = opts.binDir ?? providePulumiCli();
  const env = pulumiEnv({ ...opts, binDir, programDir: opts.workDir ?? repoRoot });
  // A CLI built by us lives in <root>/bin; one found on PATH is used as is.
  const root = path.basename(binDir) === "bin" ? path.dirname(binDir) : undefined;
  const pulumiCommand = await PulumiCommand.get({ root, skipVersionCheck: false });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: opts.stackName, workDir: opts.workDir ?? repoRoot },
    { pulumiCommand, envVars: env },
  );
  return { stack, env, binDir };
}

/**
 * A program folder of its own for this project (tests, benchmarks): Pulumi.yaml plus links to the
 * compiled program, node_modules and data, so its stack files and state stay out of the repo.
 */
export function makeProgramFolder(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const link of ["node_modules", "dist", "data", "package.json"]) {
    fs.symlinkSync(path.join(repoRoot, link), path.join(dir, link));
  }
  return dir;
}
