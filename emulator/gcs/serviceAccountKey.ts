/**
 * Throw-away Google service-account key files for the offline world (tests, benchmarks, local
 * stacks): well-formed, with a private key generated at run time, so none is ever committed.
 */
import * as crypto from "node:crypto";

export function generateServiceAccountKey(opts: { projectId?: string; clientEmail?: string } = {}): string {
  const projectId = opts.projectId ?? "polytomic-local";
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return JSON.stringify({
    type: "service_account",
    project_id: projectId,
    private_key_id: crypto.randomBytes(20).toString("hex"),
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    client_email: opts.clientEmail ?? `polytomic-reader@${projectId}.iam.gserviceaccount.com`,
    client_id: String(100_000_000_000_000_000_000n + BigInt(crypto.randomInt(1_000_000))),
    token_uri: "https://oauth2.googleapis.com/token",
  });
}
