/**
 * The Google Cloud side of a GCS-to-webhook pipeline: either created here (bucket, a reader
 * service account with a key, read access on that bucket only, the CSV object) or an existing
 * bucket and key (the emulator's seeded bucket, or infrastructure managed elsewhere).
 * Either way the Polytomic side receives the same three things: bucket, object and key.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import type * as gcp from "@pulumi/gcp";
import * as pulumi from "../providers/sdk";
import { checkpointsSkipped } from "../providers/backend";
import { PIPELINE_DEFAULTS } from "./pipelineRules";
import { projectPath } from "./projectPath";

/** Object name of the contacts CSV, in the bucket and in the emulator's seeded bucket. */
export const DEFAULT_OBJECT_NAME = PIPELINE_DEFAULTS.objectName;

/** Lets the service account read objects; nothing else (no listing of other buckets, no writes). */
export const OBJECT_VIEWER_ROLE = "roles/storage.objectViewer";

/** Create the bucket, reader account, key, access and object in real Google Cloud. */
export interface CreateGcsSourceArgs {
  /**
   * Bucket location, e.g. `US`, `EU` or `europe-west1`. Required: it decides where the data lives.
   */
  readonly location: pulumi.Input<string>;
  /**
   * Google Cloud project of the bucket and the service account.
   * Default: the gcp provider's project (`gcp:project` or `GOOGLE_PROJECT`).
   */
  readonly project?: pulumi.Input<string>;
  /**
   * Bucket name (globally unique). Default: Pulumi's auto-name, the component name plus `-data`
   * and a random suffix.
   */
  readonly bucketName?: pulumi.Input<string>;
  /**
   * Delete the bucket even when it holds objects this stack does not manage. Default `false`:
   * `pulumi destroy` then fails instead of deleting data someone else put there.
   */
  readonly forceDestroy?: pulumi.Input<boolean>;
  /** Local path of the CSV to upload, relative to the project (the folder of Pulumi.yaml). Must exist at preview. */
  readonly csvPath: string;
  /** Object name in the bucket. Default `high_paying_users.csv`. */
  readonly objectName?: string;
  /**
   * Account id of the reader service account (6-30 of `a-z`, `0-9`, `-`, starting with a letter).
   * Default: derived from the pipeline's name prefix (`<prefix>-reader`, shortened with a hash
   * when too long), so stacks sharing a project get distinct accounts.
   */
  readonly serviceAccountId?: pulumi.Input<string>;
}

/** Use a bucket and service-account key that already exist; no Google Cloud resource is created. */
export interface ExistingGcsSourceArgs {
  /** Name of the bucket holding the CSV (a bare name, not a `gs://` URL). */
  readonly bucketName: pulumi.Input<string>;
  /**
   * JSON text of a service-account key that can read the object. Treated as a secret whether
   * or not it arrives as one.
   */
  readonly serviceAccountKey: pulumi.Input<string>;
  /** Object name of the CSV in the bucket. Default `high_paying_users.csv`. */
  readonly objectName?: string;
}

/**
 * The Google Cloud resources created in create mode, exposed for users and tests. Each is the
 * `@pulumi/gcp` resource (`gcp.storage.Bucket`, `gcp.serviceaccount.Account`,
 * `gcp.serviceaccount.Key`, `gcp.storage.BucketIAMMember`, `gcp.storage.BucketObject`; cast to
 * the class for all its outputs), typed here by the outputs the component reads, so that the
 * package's declarations do not need `@pulumi/gcp`, an optional peer dependency
 * (docs/dependencies.md): a program without it type-checks.
 */
export interface CreatedGcsResources {
  readonly bucket: pulumi.CustomResource & { readonly name: pulumi.Output<string>; readonly url: pulumi.Output<string> };
  readonly serviceAccount: pulumi.CustomResource & { readonly email: pulumi.Output<string>; readonly name: pulumi.Output<string> };
  readonly serviceAccountKey: pulumi.CustomResource & { readonly privateKey: pulumi.Output<string> };
  readonly readAccess: pulumi.CustomResource;
  readonly object: pulumi.CustomResource & { readonly name: pulumi.Output<string> };
}

/** What the Polytomic side needs from Google Cloud. */
export interface GcsSource {
  readonly bucketName: pulumi.Output<string>;
  readonly objectName: string;
  /** Service-account key JSON text; always a secret. */
  readonly serviceAccountKey: pulumi.Output<string>;
  /** Email of the created reader account (create mode only). */
  readonly serviceAccountEmail?: pulumi.Output<string>;
  /**
   * Resources that must exist before Polytomic reads the bucket: the object (the schema lists
   * it) and the read access (without it the connection's schema refresh fails).
   */
  readonly readyWhen: pulumi.Resource[];
  readonly created?: CreatedGcsResources;
}

/**
 * Creates the Google Cloud resources as children of `parent`, named `<name>-…`.
 * Child names are lower-cased because Google Cloud auto-names derive from them.
 */
/**
 * `@pulumi/gcp`, loaded here rather than at the top: a stack in existing mode (and the offline
 * one) never needs it, loading it costs every program run about 80 ms, and it is an optional peer
 * dependency of the package, absent from programs that create nothing in Google Cloud.
 */
function loadGcp(): typeof import("@pulumi/gcp") {
  let resolved: string;
  try {
    resolved = require.resolve("@pulumi/gcp");
  } catch {
    throw new Error(
      "gcpMode create (GcsToWebhook's `create`) makes Google Cloud resources with @pulumi/gcp, an optional peer " +
        "dependency of polytomic-pulumi that this program does not have. Fix: npm install @pulumi/gcp@^9 in the program's folder.",
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved);
}

export function createGcsSource(
  name: string,
  namePrefix: string,
  args: CreateGcsSourceArgs,
  parent: pulumi.Resource,
): GcsSource {
  if (checkpointsSkipped()) {
    // A crash mid-`up` without checkpoints loses the record of what was created, and creating a
    // Google Cloud service-account key is not idempotent: the retry would leave the first key behind.
    throw new Error(
      "gcpMode create makes Google Cloud resources, whose creates cannot be safely retried after a crash, and " +
        "PULUMI_SKIP_CHECKPOINTS is set (the state would be written only when the run ends). Run with checkpoints: " +
        "unset PULUMI_SKIP_CHECKPOINTS, or with this project's scripts set POLYTOMIC_CHECKPOINTS=each-step.",
    );
  }
  const csvPath = projectPath(args.csvPath);
  if (!fs.existsSync(csvPath)) {
    throw new Error(`csvPath "${args.csvPath}" does not exist (looked for ${csvPath}; paths are relative to the folder of Pulumi.yaml)`);
  }
  const gcp = loadGcp();
  const childName = name.toLowerCase();
  const objectName = args.objectName ?? DEFAULT_OBJECT_NAME;
  const opts = { parent };

  const bucket = new gcp.storage.Bucket(
    `${childName}-data`,
    {
      name: args.bucketName,
      project: args.project,
      location: args.location,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: args.forceDestroy ?? PIPELINE_DEFAULTS.forceDestroy,
    },
    opts,
  );
  const serviceAccount = new gcp.serviceaccount.Account(
    `${childName}-reader`,
    {
      accountId: args.serviceAccountId ?? defaultServiceAccountId(namePrefix),
      project: args.project,
      displayName: `Polytomic reader for ${namePrefix}`,
      description: "Reads the pipeline's CSV for Polytomic (objectViewer on one bucket only).",
    },
    opts,
  );
  const serviceAccountKey = new gcp.serviceaccount.Key(
    `${childName}-reader-key`,
    { serviceAccountId: serviceAccount.name },
    opts,
  );
  // Bucket-level grant on this bucket only: a project-level grant would let the key read every bucket.
  const readAccess = new gcp.storage.BucketIAMMember(
    `${childName}-reader-access`,
    {
      bucket: bucket.name,
      role: OBJECT_VIEWER_ROLE,
      member: pulumi.interpolate`serviceAccount:${serviceAccount.email}`,
    },
    opts,
  );
  const object = new gcp.storage.BucketObject(
    `${childName}-csv`,
    {
      bucket: bucket.name,
      name: objectName,
      source: new pulumi.asset.FileAsset(csvPath),
      contentType: "text/csv",
    },
    opts,
  );

  return {
    bucketName: bucket.name,
    objectName,
    serviceAccountKey: decodeKeyFile(serviceAccountKey.privateKey),
    serviceAccountEmail: serviceAccount.email,
    readyWhen: [readAccess, object],
    created: { bucket, serviceAccount, serviceAccountKey, readAccess, object },
  };
}

/** Wraps an existing bucket and key; creates nothing. */
export function existingGcsSource(args: ExistingGcsSourceArgs): GcsSource {
  return {
    bucketName: pulumi.output(args.bucketName),
    objectName: args.objectName ?? DEFAULT_OBJECT_NAME,
    serviceAccountKey: pulumi.secret(args.serviceAccountKey),
    // The account's email is an identity, not a credential: shown in clear, taken from the key file.
    serviceAccountEmail: pulumi.unsecret(pulumi.output(args.serviceAccountKey).apply(clientEmailOf)),
    readyWhen: [],
  };
}

/** `client_email` of a key file's JSON text (empty when the text is not a key file). */
function clientEmailOf(keyJson: string): string {
  try {
    const email = (JSON.parse(keyJson) as { client_email?: unknown }).client_email;
    return typeof email === "string" ? email : "";
  } catch {
    return "";
  }
}

/**
 * `Key.privateKey` is the key file base64-encoded (type `TYPE_GOOGLE_CREDENTIALS_FILE`);
 * Polytomic wants the JSON text. Pure transformation, kept secret.
 */
export function decodeKeyFile(privateKey: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.secret(pulumi.output(privateKey).apply((b64) => Buffer.from(b64, "base64").toString("utf8")));
}

/**
 * `<prefix>-reader` made a valid account id: lower case, `a-z0-9-`, starting with a letter,
 * 6-30 characters. Too long a prefix is cut and suffixed with a hash of the whole prefix so two
 * long prefixes that share a beginning still get distinct ids.
 */
export function defaultServiceAccountId(namePrefix: string): string {
  const slug = namePrefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+/g, "-")
    .replace(/-$/, "");
  const base = slug === "" ? "polytomic" : slug;
  const id = `${base}-reader`;
  if (id.length <= 30) return id;
  const hash = crypto.createHash("sha256").update(namePrefix).digest("hex").slice(0, 8);
  return `${base.slice(0, 21).replace(/-$/, "")}-${hash}`;
}
