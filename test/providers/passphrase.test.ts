/**
 * `ModelSync.encryptionPassphrase` is a secret whatever the program passes: a plain string is
 * registered as a secret input and asked for as a secret output, so it is encrypted in state and
 * masked in every output. Checked with Pulumi's mock monitor (what the class registers).
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type * as providers from "../../providers";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const PASSPHRASE = "plain-literal-passphrase";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  additionalSecretOutputs: string[];
}
const registered: Registered[] = [];
let ModelSync: typeof providers.ModelSync;

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
  const register = MockMonitor.prototype.registerResource;
  const secretOutputs = new Map<string, string[]>();
  MockMonitor.prototype.registerResource = function (req: any, callback: any) {
    secretOutputs.set(`${req.getType()}::${req.getName()}`, req.getAdditionalsecretoutputsList());
    return register.call(this, req, callback);
  };
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (args.type === "pulumi-nodejs:dynamic/polytomic-state:IdempotencySalt") return { id: "salt", state: { value: "mock-salt" } };
        registered.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          additionalSecretOutputs: secretOutputs.get(`${args.type}::${args.name}`) ?? [],
        });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    "project",
    "stack",
    true,
  );
  ({ ModelSync } = await import("../../providers"));
});

const settled = (output: pulumi.Output<unknown>) => new Promise((resolve) => output.apply(resolve));

describe("ModelSync.encryptionPassphrase", () => {
  it("registers a plain passphrase as a secret input and a secret output", async () => {
    const sync = new ModelSync("encrypted", {
      name: "encrypted",
      mode: "replace",
      target: { connectionId: "c-1", object: "public.contacts" },
      fields: [{ target: "email", source: { modelId: "m-1", field: "email" }, encryptionEnabled: true }],
      encryptionPassphrase: PASSPHRASE,
    });
    await settled(sync.urn);
    await settled(sync.encryptionPassphrase);
    const found = registered.find((r) => r.name === "encrypted");
    expect(found?.type).toBe("pulumi-nodejs:dynamic/polytomic:ModelSync");
    const input = found?.inputs.encryptionPassphrase as Record<string, unknown>;
    expect(input[SECRET_SIG_KEY]).toBe(SECRET_SIG);
    expect(input.value).toBe(PASSPHRASE);
    expect(found?.additionalSecretOutputs).toContain("encryptionPassphrase");
    expect(await pulumi.isSecret(sync.encryptionPassphrase)).toBe(true);
  });

  it("adds nothing when there is no passphrase", async () => {
    const sync = new ModelSync("plain", {
      name: "plain",
      mode: "updateOrCreate",
      target: { connectionId: "c-1", object: "http" },
      fields: [{ source: { modelId: "m-1", field: "email" } }],
    });
    await settled(sync.urn);
    const found = registered.find((r) => r.name === "plain");
    expect(found?.inputs).not.toHaveProperty("encryptionPassphrase");
  });
});
