/**
 * docs/export.md, then docs/drift.md, run as written (test/e2e/docSection.ts) with the real
 * engine: an organization that exists already is exported from a checkout, the exported program
 * is installed (its `file:` dependency on the checkout, a copy), its stack made and its secrets
 * set, `up` adopts every object (no object created, replaced or deleted: the only writes are the
 * objects holding a declared secret), `preview` finds nothing to change, and `--check` finds no
 * drift, from the checkout (`npm run export`) and from the installed package (`npx`).
 *
 * What differs from a user's terminal: Polytomic is an emulator (https://app.polytomic.com becomes
 * its URL, `<key>` its API key), holding the organization the page's printed lines name (a GCS
 * connection "Contacts bucket", a PostgreSQL connection "Warehouse" on the test run's
 * PostgreSQL, the org webhook, and a webhook connection, a model and a sync); the checkout is
 * `<tmp>/polytomic-pulumi` (a link to this repository) and `../polytomic-org` is `<tmp>/polytomic-org`;
 * `<your passphrase>` is one of the test's; the user's `key.json` is the connection's key; what
 * the prompts ask is typed in on stdin; `npm install` installs from the npm cache (tests reach no
 * registry: a lockfile of this project's versions, then `npm ci --offline`, which packs the
 * checkout as the program's `install-links=true` says); the state is in a folder of the test's
 * (PULUMI_BACKEND_URL wins over `pulumi login --local`). The page's other export lines
 * (`--from-stack dev`, after `npm start`) are run by test/e2e/startPorts.test.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../client";
import { DEMO_BUCKET, DEMO_OBJECT, generateServiceAccountKey, startEmulator } from "../../emulator";
import { providePulumiCli, repoRoot } from "../../scripts/lib/pulumiEnv";
import { postgresConnectionSettings } from "../support/postgres";
import { installFromCache } from "./consumer";
import { bash, commandsOf, projectLockfile, Ran, RunOptions, runLines, sectionOf, userEnv } from "./docSection";
import { readTree } from "./exportProgram";

const API_KEY = "export-doc-key-0123456789";
const PASSPHRASE = "export-doc-passphrase";
/** The paragraph right before the page's block of commands in the exported program. */
const PROGRAM_BLOCK = "named after its object:";
const SECRET_LINE = /^\s*pulumi config set --secret --stack dev (\S+)/;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** Writes only (anything but GET), by route. */
const writesIn = (routes: Record<string, number>) => Object.fromEntries(Object.entries(routes).filter(([route]) => !route.startsWith("GET ")));

describe("docs/export.md and docs/drift.md, as written: export, install, adopt, no drift", () => {
  const page = sectionOf("docs/export.md", "Bring an existing organization under code");
  let emulator: Emulator;
  let tmp: string;
  let checkout: string;
  let program: string;
  let env: NodeJS.ProcessEnv;
  const transcript: string[] = [];
  const secrets: Record<string, string> = {};
  let serviceAccountKey: string;
  let ids: { connections: string[]; models: string[]; syncs: string[]; webhooks: string[] };

  /** The page's lines with the test's Polytomic, key, folders and passphrase. */
  const rewrite = (line: string) =>
    line
      .replaceAll("https://app.polytomic.com", emulator.url)
      .replaceAll("<key>", API_KEY)
      .replaceAll("<your passphrase>", PASSPHRASE)
      .replaceAll("../polytomic-org", program);
  const options = (cwd: string, extra: Partial<RunOptions> = {}): RunOptions => ({ cwd, env, rewrite, servers: [], transcript, ...extra });
  const liveIds = () => ({
    connections: emulator.state.connections().map((c) => c.id).sort(),
    models: emulator.state.models().map((m) => m.id).sort(),
    syncs: emulator.state.syncs().map((s) => s.id).sort(),
    webhooks: emulator.state.webhooks().map((w) => w.id).sort(),
  });

  beforeAll(async () => {
    providePulumiCli(); // made once by the global setup: this only finds it
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-export-doc-"));
    checkout = path.join(tmp, "polytomic-pulumi");
    fs.symlinkSync(repoRoot, checkout);
    program = path.join(tmp, "polytomic-org");
    env = userEnv(tmp);

    emulator = await startEmulator({ apiKey: API_KEY, log: () => undefined });
    const client = createClient({ baseUrl: emulator.url, apiKey: API_KEY });
    serviceAccountKey = generateServiceAccountKey({ projectId: "export-doc" });
    const postgres = postgresConnectionSettings();
    secrets["warehouse-password"] = postgres.password;
    secrets["org-webhook-secret"] = "export-doc-org-secret-1357";
    secrets["polytomic:apiKey"] = API_KEY;
    const contacts = await client.connections.create({ name: "Contacts bucket", type: "gcs", configuration: { bucket: DEMO_BUCKET, service_account: serviceAccountKey, csv_has_headers: true } });
    const warehouse = await client.connections.create({ name: "Warehouse", type: "postgresql", configuration: { ...postgres, ssl: false } });
    const crm = await client.connections.create({ name: "CRM hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/crm" } });
    const model = await client.models.create({
      name: "High-paying users",
      connection_id: contacts.id,
      configuration: { model_from: "single_file", key: DEMO_OBJECT, file_format: "csv" },
      fields: ["email_address", "first_name"],
      identifier: "email_address",
    });
    const sync = await client.syncs.create({
      name: "Contacts to CRM",
      mode: "updateOrCreate",
      schedule: { frequency: "manual" },
      target: { connection_id: crm.id, object: "http", configuration: { batch_size: 100 } },
      fields: [{ target: "record", source: { model_id: model.id, field: "email_address" } }],
      active: true,
    });
    const webhook = await client.webhooks.create({ endpoint: "http://127.0.0.1:9/events", secret: secrets["org-webhook-secret"] });
    ids = { connections: [contacts.id, warehouse.id, crm.id].sort(), models: [model.id], syncs: [sync.id], webhooks: [webhook.id] };
    expect(liveIds()).toEqual(ids);
  }, 120_000);

  afterAll(async () => {
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  let printed: Ran;

  it("the export lines, from the checkout: the program, with a file: dependency on the checkout and the secrets the page shows", async () => {
    const [fromCheckout, fromPackage] = commandsOf(page);
    expect(fromCheckout).toMatch(/^POLYTOMIC_URL=\S+ POLYTOMIC_API_KEY=<key> npm run export -- --out \.\.\/polytomic-org$/);
    expect(fromPackage).toMatch(/^POLYTOMIC_URL=\S+ POLYTOMIC_API_KEY=<key> npx polytomic-export --out \.\.\/polytomic-org\s+#/);
    let first: Record<string, string> = {};
    await runLines([fromCheckout, fromPackage], options(checkout, {
      after: (line, ran) => {
        if (line.includes("npm run export")) {
          printed = ran;
          first = readTree(program);
        }
      },
    }));
    // Exported again, by the package's own command: byte for byte the same program.
    expect(readTree(program)).toEqual(first);
    const manifest = JSON.parse(first["package.json"]) as { dependencies: Record<string, string> };
    expect(manifest.dependencies["polytomic-pulumi"]).toBe(`file:${path.relative(program, repoRoot)}`);
    expect(first[".npmrc"]).toBe("install-links=true\n");
    expect(first["Pulumi.dev.yaml"]).toBe(`config:\n  polytomic:url: "${emulator.url}"\n`);
    // The secret lines the export printed are the page's, one per secret of this organization.
    const printedKeys = printed.stdout.split("\n").map((l) => SECRET_LINE.exec(l)?.[1]).filter((k): k is string => !!k);
    const pageKeys = commandsOf(page, PROGRAM_BLOCK).map((l) => SECRET_LINE.exec(l)?.[1]).filter((k): k is string => !!k);
    expect(printedKeys.sort()).toEqual(pageKeys.sort());
    expect(pageKeys.sort()).toEqual(["contacts-bucket-service-account", "org-webhook-secret", "warehouse-password"]);
  }, 180_000);

  it("in the program: install, build, the CLI, stack, secrets, then up adopts every object and preview finds no change", async () => {
    const lines = commandsOf(page, PROGRAM_BLOCK);
    expect(lines[0]).toBe("cd ../polytomic-org");
    expect(lines.filter((l) => /^pulumi (up|preview)/.test(l)).map((l) => l.split(/\s+#/)[0].trim())).toEqual(["pulumi up --yes", "pulumi preview"]);
    const noPulumi = await bash("command -v pulumi", program, env);
    expect(noPulumi.code, "a pulumi on the test's PATH would hide the page's CLI step").not.toBe(0);
    // The user's key file, where the page's line reads it.
    fs.writeFileSync(path.join(program, "key.json"), serviceAccountKey);
    const lockfile = projectLockfile();
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    const opts: RunOptions = options(checkout, {
      handle: async (line) => {
        if (line.startsWith("pulumi up") || line.startsWith("pulumi preview")) emulator.resetStats();
        const install = /^npm install && (.*)$/.exec(line);
        if (!install) return false;
        await installFromCache(opts.cwd, { manifest }, lockfile);
        const ran = await bash(install[1], opts.cwd, env);
        transcript.push(ran.output);
        if (ran.code !== 0) throw new Error(`exit ${ran.code}: ${line}\n${transcript.join("\n")}`);
        return true;
      },
      input: (line) => {
        const key = /^pulumi config set --secret (?:--stack \S+ )?(\S+)\s*(?:#|$)/.exec(line)?.[1];
        return key === undefined ? undefined : `${secrets[key]}\n`;
      },
      after: (line, ran) => {
        if (line.startsWith("pulumi up")) {
          // Adopted: no object made, replaced or deleted; the three holding a secret written once.
          expect(writesIn(emulator.stats().routes)).toEqual({ "PUT /api/connections/{id}": 2, "PUT /api/webhooks/{id}": 1 });
          expect(liveIds()).toEqual(ids);
        }
        if (line.startsWith("pulumi preview")) {
          // The six objects, the state's idempotency salt and the stack.
          expect(ran.output).toMatch(/\b8 unchanged\b/);
          expect(ran.output).not.toMatch(/to (create|update|replace|delete)/);
          expect(Object.keys(emulator.stats().routes)).toEqual(["GET /api/me"]);
        }
      },
    });
    await runLines(lines, opts);
    // Installed as a copy of the checkout, with one @pulumi/pulumi.
    expect(fs.lstatSync(path.join(program, "node_modules", "polytomic-pulumi")).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(program, "node_modules", "polytomic-pulumi", "node_modules", "@pulumi"))).toBe(false);
    expect(env.PATH?.split(path.delimiter)[0]).toMatch(/\.pulumi-cli/);
    // The stack holds exactly the organization's ids.
    const state = await bash("pulumi stack export --stack dev", program, env);
    const owned = (JSON.parse(state.stdout).deployment.resources as { type: string; id?: string }[]).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/polytomic:"));
    expect(owned.map((r) => r.id).sort()).toEqual(Object.values(ids).flat().sort());
  }, 300_000);

  it("docs/drift.md: --check from the checkout and from the installed package finds no drift, and writes nothing", async () => {
    const lines = commandsOf(sectionOf("docs/drift.md", "Drift"));
    expect(lines.map((l) => l.split(/\s+#/)[0].trim())).toEqual(["npm run export -- --check ../polytomic-org", "npx polytomic-export --check ../polytomic-org --stack dev"]);
    emulator.resetStats();
    const reports: string[] = [];
    const after = (_line: string, ran: Ran) => void reports.push(ran.stdout);
    // Each where its comment says: `npm run` in this repository, `npx` where the package is installed.
    await runLines([lines[0]], options(checkout, { after }));
    await runLines([lines[1]], options(program, { after }));
    for (const report of reports) expect(report).toContain(`No drift: ${emulator.url} matches ${program} (stack dev): 6 managed objects`);
    expect(writesIn(emulator.stats().routes)).toEqual({});
  }, 120_000);
});
