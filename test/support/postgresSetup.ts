/**
 * One PostgreSQL for the whole test run (vitest globalSetup), as a team's state database: tests
 * that keep Pulumi state or stack notes in PostgreSQL each take a table of their own in it
 * (`postgresBackendUrl`), so they never see each other's rows. Started on a free port in a
 * temporary folder, stopped by its process id when the run ends.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TestProject } from "vitest/node";
import { type LocalPostgres, startLocalPostgres } from "../../scripts/lib/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** `postgres://...` of the run's PostgreSQL (database `pulumi`, role `pulumi`). */
    postgresUrl: string;
  }
}

let server: LocalPostgres | undefined;
let folder: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-test-postgres-"));
  server = await startLocalPostgres(folder);
  project.provide("postgresUrl", server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
}
