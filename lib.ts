/**
 * `polytomic-pulumi`: Polytomic as Pulumi resources, for use in your own Pulumi program.
 *
 * ```ts
 * import { GcsToWebhook, ModelSync } from "polytomic-pulumi";
 * const pipeline = new GcsToWebhook("contacts", { existing: { bucketName, serviceAccountKey }, receiverUrl });
 * ```
 *
 * The providers read `polytomic:url` and `polytomic:apiKey` from the stack config (or
 * `POLYTOMIC_URL` / `POLYTOMIC_API_KEY`). Other entry points of the package:
 * `polytomic-pulumi/client` (the API client alone), `polytomic-pulumi/receiver` (a server that
 * verifies and records deliveries), `polytomic-pulumi/emulator` (the offline Polytomic API).
 *
 * Why the client is not re-exported here: its types are built on zod, whose declarations need
 * `esModuleInterop` or `skipLibCheck`, and Pulumi's TypeScript template sets neither. This entry
 * point compiles with that template as is.
 *
 * This file is the package's `main`; the project's own program is `index.ts`.
 */
// First: zod's locales load only when asked for (contract/lazyZodLocales.ts).
import "./contract/lazyZodLocales";
export * from "./providers";
export * from "./components";
