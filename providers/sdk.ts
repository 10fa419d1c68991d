/**
 * What the package uses of `@pulumi/pulumi`, taken from the SDK's own modules instead of its root.
 *
 * Why: `require("@pulumi/pulumi")` (the root, `index.js`) also loads `runtime/index.js`, which
 * loads the SDK's closure serializer at once, and with it TypeScript and npm's package tooling
 * (arborist, pacote, sigstore...): ~580 more modules, 0.6-1.3 s on our 2-core machines, against
 * ~0.13 s for the modules below. Under Pulumi's own language host nothing else in the program's
 * process loads them (`@pulumi/pulumi/cmd/run` requires only the modules it needs), so a program
 * that reaches the SDK only through this package never pays for code it does not use: this
 * package's resources carry hand-written provider stubs (stub.ts) and never serialize a closure.
 * A program that imports the root itself still works the same: the root re-exports these very
 * modules, so every class and function here is the same object as the root's.
 *
 * The dynamic-provider host loads the whole SDK anyway (its own code requires the runtime);
 * test/providers/sdkImports.test.ts keeps the package from importing the root at run time.
 */
// The SDK's per-promise debug traces skip source-map work from here on (debugTraces.ts).
import "./debugTraces";

export { ComponentResource, CustomResource, Resource } from "@pulumi/pulumi/resource";
export type { ComponentResourceOptions, CustomResourceOptions, ID, URN } from "@pulumi/pulumi/resource";
export type { InvokeOptions } from "@pulumi/pulumi/invoke";
export { all, interpolate, output, Output, secret, unsecret } from "@pulumi/pulumi/output";
export type { Input, Inputs, Unwrap } from "@pulumi/pulumi/output";
export { Config } from "@pulumi/pulumi/config";
export { ResourceError, RunError } from "@pulumi/pulumi/errors";
export { getProject, getStack } from "@pulumi/pulumi/metadata";
export * as asset from "@pulumi/pulumi/asset";
export * as log from "@pulumi/pulumi/log";

import { allConfig, getConfig } from "@pulumi/pulumi/runtime/config";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { getStackResource } from "@pulumi/pulumi/runtime/stack";

/**
 * `getRootDirectory` came with @pulumi/pulumi 3.15x; older SDKs the peer range admits lack it
 * (undefined here, and no name in the declarations we ship that their types do not have).
 */
const getRootDirectory = (settings as { getRootDirectory?: () => string }).getRootDirectory;

/** The few functions of `pulumi.runtime` the package calls. */
export const runtime = { allConfig, getConfig, getRootDirectory, getStackResource };
