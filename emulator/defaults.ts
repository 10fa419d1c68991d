/**
 * Fixed facts of the emulator, shared with the rest of the project (see the team brief):
 * the default API key, the one organization it serves, where it listens and keeps its data,
 * and the demo bucket it seeds.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** API key accepted when neither `--api-key` nor `POLYTOMIC_API_KEY` is given. */
export const DEFAULT_API_KEY = "polytomic-emulator-local-key";

/** Partner key accepted when neither `--partner-key` nor `POLYTOMIC_PARTNER_KEY` is given. */
export const DEFAULT_PARTNER_KEY = "polytomic-emulator-partner-key";

/** The organization of the API key; a partner key creates others. */
export const ORGANIZATION_ID = "00000000-0000-4000-8000-000000000001";
export const ORGANIZATION_NAME = "Emulator Organization";

/** The user the API key stands for (`GET /api/me`, `created_by`/`updated_by`). */
export const API_USER = {
  id: "00000000-0000-4000-8000-000000000002",
  email: "emulator@polytomic.local",
  name: "Emulator API key",
} as const;

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = "127.0.0.1";
/** Relative to the working directory of the CLI. */
export const DEFAULT_DATA_DIR = ".data/emulator";

/** The bucket seeded at start, and the object it holds. */
export const DEMO_BUCKET = "polytomic-demo";
export const DEMO_OBJECT = "high_paying_users.csv";

/** The package root: this file is `<root>/emulator/defaults.ts` or `<root>/dist/emulator/defaults.js`. */
export const PACKAGE_ROOT = findPackageRoot(__dirname);
/** The repository's demo CSV, copied into the demo bucket when the bucket lacks it. */
export const DEMO_CSV_SOURCE = path.join(PACKAGE_ROOT, "data", DEMO_OBJECT);

/** Delay before a connection's schema turns "fresh", for the CLI (tests usually pass 0). */
export const CLI_SCHEMA_READY_DELAY_MS = 2000;
/** Default for `startEmulator`: ready at once unless the caller asks for a delay. */
export const DEFAULT_SCHEMA_READY_DELAY_MS = 0;

/** How long an `Idempotency-Key` outcome is kept ("at least 24 hours" in the docs). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

function findPackageRoot(start: string): string {
  // Walk up to the folder holding package.json; works from sources and from dist/.
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start, "..");
    dir = parent;
  }
}
