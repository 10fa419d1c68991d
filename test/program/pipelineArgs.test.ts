/**
 * From parsed config to component arguments: each mode's source, the default name prefix, and
 * secrets wrapped as secrets (config text read with `get` is plain).
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { PipelineConfig } from "../../program/config";
import { defaultNamePrefix, pipelineArgs } from "../../program/pipelineArgs";

const stack = { project: "polytomic-pipelines", stack: "dev" };

const base: Omit<PipelineConfig, "gcp"> = {
  receiverUrl: "http://127.0.0.1:8788/records",
  fields: ["email_address"],
  batchSize: 250,
  recordRequests: false,
  active: false,
  metadata: { team: "growth" },
  schedule: { frequency: "manual" },
  syncs: { nightly: { batchSize: 10 }, paused: { active: false } },
  adopt: { modelId: "m-1" },
};

function resolved<T>(input: pulumi.Input<T> | undefined): Promise<{ value: T | undefined; secret: boolean }> {
  const output = pulumi.output(input);
  return Promise.all([new Promise<T | undefined>((resolve) => output.apply((v) => resolve(v as T))), output.isSecret]).then(
    ([value, secret]) => ({ value, secret }),
  );
}

describe("pipelineArgs", () => {
  it("maps existing mode to `existing`, with the key as a secret", async () => {
    const args = pipelineArgs(
      { ...base, gcp: { mode: "existing", bucketName: "polytomic-demo", serviceAccountKey: "{json}", objectName: "a.csv" } },
      stack,
    );
    expect(args.create).toBeUndefined();
    expect(args.existing?.bucketName).toBe("polytomic-demo");
    expect(args.existing?.objectName).toBe("a.csv");
    expect(await resolved(args.existing?.serviceAccountKey)).toEqual({ value: "{json}", secret: true });
  });

  it("maps create mode to `create`", () => {
    const args = pipelineArgs(
      {
        ...base,
        gcp: { mode: "create", location: "EU", project: "acme-data", csvPath: "data/x.csv", objectName: "x.csv", forceDestroy: true },
      },
      stack,
    );
    expect(args.existing).toBeUndefined();
    expect(args.create).toEqual({
      location: "EU",
      project: "acme-data",
      bucketName: undefined,
      forceDestroy: true,
      csvPath: "data/x.csv",
      objectName: "x.csv",
    });
  });

  it("passes the sync settings through and names objects after the project and stack by default", () => {
    const gcp = { mode: "existing", bucketName: "b-1", serviceAccountKey: "{}", objectName: "a.csv" } as const;
    const args = pipelineArgs({ ...base, gcp }, stack);
    expect(args).toMatchObject({
      receiverUrl: base.receiverUrl,
      namePrefix: "polytomic-pipelines-dev",
      fields: ["email_address"],
      batchSize: 250,
      recordRequests: false,
      active: false,
      metadata: { team: "growth" },
      schedule: { frequency: "manual" },
      syncs: { nightly: { batchSize: 10 }, paused: { active: false } },
      adopt: { modelId: "m-1" },
    });
    expect(args.orgWebhook).toBeUndefined();
    expect(pipelineArgs({ ...base, gcp, namePrefix: "acme" }, stack).namePrefix).toBe("acme");
    expect(defaultNamePrefix("p", "pr-12")).toBe("p-pr-12");
  });

  it("wraps the org webhook secret as a secret", async () => {
    const args = pipelineArgs(
      {
        ...base,
        gcp: { mode: "existing", bucketName: "b-1", serviceAccountKey: "{}", objectName: "a.csv" },
        orgWebhook: { url: "https://h.example.com/events", secret: "s3cret-42", disabled: true, takeOverFrom: "p/old-prod" },
      },
      stack,
    );
    expect(args.orgWebhook?.endpoint).toBe("https://h.example.com/events");
    expect(args.orgWebhook?.disabled).toBe(true);
    expect(args.orgWebhook?.takeOverFrom).toBe("p/old-prod");
    expect(await resolved(args.orgWebhook?.secret)).toEqual({ value: "s3cret-42", secret: true });
  });
});
