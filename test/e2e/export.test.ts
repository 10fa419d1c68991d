/**
 * The export's round trip with the real Pulumi engine and the emulator: an organization made by
 * hand through the API becomes a program that adopts every object with no write but the secrets
 * it declares, previews with no request, costs one write per edit, and exports byte for byte
 * the same every time.
 */
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../client";
import { answers, canonicalJson } from "../../contract";
import { startEmulator } from "../../emulator";
import { runExportCommand } from "../../cli/export/command";
import { readPackageInfo } from "../../cli/export/packageInfo";
import { providePulumiCli, pulumiEnv, repoRoot } from "../../scripts/lib/pulumiEnv";
import { openStack, OpenedStack } from "../../scripts/lib/stack";
import { HandMadeOrg, makeHandMadeOrg } from "./exportOrg";
import { buildProgram, installProgramDependencies, readTree } from "./exportProgram";

const API_KEY = "export-e2e-key-0123456789";
const PASSPHRASE = "export-e2e-passphrase";
const STACK = "dev";
const packageInfo = readPackageInfo(repoRoot);

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** Whether `value` is what the server fills in (`filled` from answers.serverFilled). */
const same = (filled: { value: unknown } | undefined, value: unknown) => filled !== undefined && canonicalJson(filled.value) === canonicalJson(value);

/** Requests by route, writes only (anything but GET). */
const writesIn = (routes: Record<string, number>) => Object.fromEntries(Object.entries(routes).filter(([route]) => !route.startsWith("GET ")));

/** `  pulumi config set --secret --stack dev <key>  # <object>: <property>` */
const SECRET_LINE = /^\s*(pulumi config set --secret --stack \S+ (\S+))\s+# (.+): (\S+)$/;

describe("export of a hand-made organization to a Pulumi program that adopts it", () => {
  let emulator: Emulator;
  let org: HandMadeOrg;
  let tmp: string;
  let programDir: string;
  let printed: string[];
  let opened: OpenedStack;
  let cliEnv: Record<string, string>;
  let exportedIndex: string;

  const exportTo = async (out: string) => {
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await runExportCommand(["--out", out, "--stack", STACK], {
      createClient,
      stackConfig: async () => ({}),
      packageInfo,
      env: { POLYTOMIC_URL: emulator.url, POLYTOMIC_API_KEY: API_KEY },
      out: (line) => lines.push(line),
      err: (line) => errors.push(line),
    });
    expect({ code, errors }).toEqual({ code: 0, errors: [] });
    return lines;
  };
  /** Runs one command line exactly as printed, in the program folder, with `stdin` as its input. */
  const shell = (line: string, stdin = "") => {
    const result = spawnSync("bash", ["-c", line], { cwd: programDir, env: cliEnv, input: stdin, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${line.replace(/#.*/, "")} failed: ${result.stderr}`);
    return result.stdout;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY });
    org = await makeHandMadeOrg(createClient({ baseUrl: emulator.url, apiKey: API_KEY }), emulator.gcsRoot);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-export-"));
    programDir = path.join(tmp, "program");
  }, 120_000);

  afterAll(async () => {
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("writes one adopting resource per object, references between them, and secrets only as stack config", async () => {
    emulator.resetStats();
    printed = await exportTo(programDir);
    // Reads only: each list once (one page of syncs here), then every sync in full.
    expect(emulator.stats().routes).toEqual({
      "GET /api/me": 1,
      "GET /api/connections": 1,
      "GET /api/models": 1,
      "GET /api/syncs": 1,
      "GET /api/syncs/{id}": 5,
      "GET /api/webhooks": 1,
    });

    const files = readTree(programDir);
    expect(Object.keys(files).sort()).toEqual([".gitignore", ".npmrc", "Pulumi.dev.yaml", "Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    const index = files["index.ts"];
    exportedIndex = index;
    expect(index).toContain(`import { Connection, Model, ModelSync, OrgWebhook } from "${packageInfo.name}";`);
    for (const [kind, n] of [["Connection", 5], ["Model", 2], ["ModelSync", 5], ["OrgWebhook", 1]] as const) {
      expect(index.match(new RegExp(`new ${kind}\\(`, "g"))?.length, kind).toBe(n);
    }
    for (const id of Object.values(org.ids).flat()) expect(index).toContain(`adoptId: "${id}"`);

    // References, never literal ids: targets, sources, identity, filters, run-after.
    expect(index).not.toMatch(/(connectionId|modelId|model_id): "/);
    expect(index).toMatch(/connectionId: auditHookConnection\.id/);
    expect(index).toMatch(/source: \{ modelId: highPayingUsersModel\.id, field: "email_address" \}/);
    expect(index).toMatch(/runAfter: \{ syncIds: \[nightlyAuditSync\.id\] \}/);
    expect(index.indexOf('new ModelSync("nightly-audit"')).toBeLessThan(index.indexOf('new ModelSync("after-audit"'));

    // Names: from the objects' names, unique; the younger namesake gets the start of its id.
    const names = [...index.matchAll(/new \w+\("([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(names).size).toBe(13);
    const secondCrmHook = org.ids.connections[3];
    expect(names).toEqual(expect.arrayContaining(["crm-hook", `crm-hook-${secondCrmHook.slice(0, 6)}`, "contacts-to-crm", "org-webhook"]));

    // No secret value anywhere in the folder: no mask, no key, no webhook secret, no generated secret.
    const everything = Object.values(files).join("\n");
    const generated = emulator.state.connections().map((c) => c.configuration.secret).filter((s): s is string => typeof s === "string");
    expect(generated.length).toBe(3);
    for (const secret of [...Object.values(org.serviceAccountKeys), org.orgWebhookSecret, ...generated, "********", "PRIVATE KEY"]) {
      expect(everything.includes(secret)).toBe(false);
    }
    expect(files["Pulumi.dev.yaml"]).toBe(`config:\n  polytomic:url: "${emulator.url}"\n`);
    // Exported from this checkout: the program installs the checkout (as a copy: .npmrc), not a registry version.
    expect(JSON.parse(files["package.json"]).dependencies).toEqual({ "@pulumi/pulumi": packageInfo.versions.pulumi, [packageInfo.name]: `file:${path.relative(programDir, repoRoot)}` });
    expect(files[".npmrc"]).toBe("install-links=true\n");

    // One printed line per secret, named after its object.
    const secretLines = printed.map((line) => line.match(SECRET_LINE)).filter((m): m is RegExpMatchArray => !!m);
    expect(secretLines.map((m) => [m[2], m[3], m[4]])).toEqual([
      ["archive-bucket-eu-service-account", 'connection "Archive bucket (EU)"', "sensitiveConfiguration.service_account"],
      ["contacts-bucket-service-account", 'connection "Contacts bucket"', "sensitiveConfiguration.service_account"],
      ["org-webhook-secret", `org webhook ${org.ids.webhooks[0]}`, "secret"],
    ]);
    for (const m of secretLines) expect(index).toContain(`config.requireSecret("${m[2]}")`);
  });

  it("exporting again with the polytomic-export command gives byte-identical files", async () => {
    const again = path.join(tmp, "again");
    // Asynchronously: the emulator answering it runs in this process.
    await promisify(execFile)(process.execPath, [path.join(repoRoot, "dist", "bin", "polytomic-export.js"), "--out", again], {
      env: { ...process.env, POLYTOMIC_URL: emulator.url, POLYTOMIC_API_KEY: API_KEY },
    });
    expect(readTree(again)).toEqual(readTree(programDir));
  });

  it("after the printed commands, up adopts every object and writes only the declared secrets", async () => {
    installProgramDependencies(programDir, packageInfo.name);
    buildProgram(programDir);
    const binDir = providePulumiCli();
    const backendDir = path.join(tmp, "backend");
    const pulumiHome = path.join(tmp, "home");
    cliEnv = pulumiEnv({ binDir, backendDir, pulumiHome, passphrase: PASSPHRASE });

    shell(`pulumi stack select --create ${STACK}`);
    shell("pulumi config set --secret polytomic:apiKey", API_KEY);
    const values: Record<string, string> = {
      'connection "Archive bucket (EU)"': org.serviceAccountKeys["Archive bucket (EU)"],
      'connection "Contacts bucket"': org.serviceAccountKeys["Contacts bucket"],
      [`org webhook ${org.ids.webhooks[0]}`]: org.orgWebhookSecret,
    };
    for (const line of printed.filter((l) => SECRET_LINE.test(l))) {
      shell(line.trim(), values[(line.match(SECRET_LINE) as RegExpMatchArray)[3]]);
    }
    const stackConfig = fs.readFileSync(path.join(programDir, "Pulumi.dev.yaml"), "utf8");
    expect(stackConfig).toContain(emulator.url);
    expect(stackConfig).not.toContain(org.orgWebhookSecret);

    const before = { models: emulator.state.models(), syncs: emulator.state.syncs(), connections: emulator.state.connections() };
    opened = await openStack({ stackName: STACK, workDir: programDir, binDir, backendDir, pulumiHome, passphrase: PASSPHRASE });
    emulator.resetStats();
    const up = await opened.stack.up();
    expect(up.summary.result).toBe("succeeded");
    // 13 objects, the state's idempotency salt and the stack itself.
    expect(up.summary.resourceChanges).toEqual({ create: 15 });

    const gcsIds = org.ids.connections.slice(0, 2);
    expect(writesIn(emulator.stats().routes)).toEqual({ "PUT /api/connections/{id}": 2, "PUT /api/webhooks/{id}": 1 });
    const after = { models: emulator.state.models(), syncs: emulator.state.syncs(), connections: emulator.state.connections() };
    expect(after.models).toEqual(before.models);
    expect(after.syncs).toEqual(before.syncs);
    const untouched = (list: typeof before.connections) => list.filter((c) => !gcsIds.includes(c.id));
    expect(untouched(after.connections)).toEqual(untouched(before.connections));
    // The GCS connections got their own keys back: the write changed nothing but the timestamp,
    // and a value equal to what the server fills in by itself (csv_has_headers: true), which the
    // export does not declare (contract/answers.ts).
    for (const id of gcsIds) {
      const effective = (configuration: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(configuration).filter(([key, value]) => !same(answers.serverFilled("gcsConfiguration", key), value)));
      const strip = (c: (typeof before.connections)[number]) => ({ ...c, configuration: effective(c.configuration), updated_at: "", schema: undefined });
      expect(strip(after.connections.find((c) => c.id === id)!)).toEqual(strip(before.connections.find((c) => c.id === id)!));
    }
    expect(emulator.state.webhooks().map((w) => w.secret)).toEqual([org.orgWebhookSecret]);

    // Adopted, not created: the stack holds exactly the existing ids. (`pulumi stack export`
    // itself: the Automation API's exportStack shows secrets.)
    const exported = shell(`pulumi stack export --stack ${STACK}`);
    const resources = JSON.parse(exported).deployment.resources as { type: string; id?: string }[];
    const owned = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/polytomic:"));
    expect(owned.map((r) => r.id).sort()).toEqual(Object.values(org.ids).flat().sort());
    const privateKeyLines = Object.values(org.serviceAccountKeys).map((key) => JSON.parse(key).private_key.split("\n")[1] as string);
    for (const secret of [org.orgWebhookSecret, API_KEY, ...privateKeyLines]) {
      const at = exported.indexOf(secret);
      expect(at < 0 ? "" : exported.slice(Math.max(0, at - 200), at), "a secret in plaintext in the state").toBe("");
    }
  });

  it("a preview right after shows no change and asks the API nothing but who it is", async () => {
    emulator.resetStats();
    const preview = await opened.stack.preview();
    expect(Object.keys(emulator.stats().routes).filter((route) => route !== "GET /api/me")).toEqual([]);
    expect(preview.changeSummary).toEqual({ same: 15 });
  });

  it("an edited batch size in the generated code costs exactly one write", async () => {
    const file = path.join(programDir, "index.ts");
    const source = fs.readFileSync(file, "utf8");
    expect(source.split("batch_size: 500,").length).toBe(2);
    fs.writeFileSync(file, source.replace("batch_size: 500,", "batch_size: 750,"));
    buildProgram(programDir);

    emulator.resetStats();
    const up = await opened.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 14, update: 1 });
    expect(writesIn(emulator.stats().routes)).toEqual({ "PUT /api/syncs/{id}": 1 });
    const nightly = emulator.state.syncs().find((s) => s.id === org.syncIds.nightly);
    expect(nightly?.target.configuration).toEqual({ batch_size: 750, record_requests: false });
  });

  it("a new export after the edit reproduces the edited program byte for byte", async () => {
    const edited = fs.readFileSync(path.join(programDir, "index.ts"), "utf8");
    expect(edited).not.toBe(exportedIndex);
    const again = path.join(tmp, "after-edit");
    await exportTo(again);
    expect(fs.readFileSync(path.join(again, "index.ts"), "utf8")).toBe(edited);
  });
});
