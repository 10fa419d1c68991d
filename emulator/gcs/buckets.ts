/**
 * A local stand-in for Google Cloud Storage: each bucket is a folder under the root, each
 * object a file under its bucket (keys with '/' are nested folders), like fake-gcs-server's
 * filesystem backend.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export class GcsBuckets {
  constructor(readonly root: string) {}

  bucketPath(bucket: string): string {
    if (!bucket || bucket.includes("/") || bucket.includes("\\") || bucket === "." || bucket === "..") {
      throw new RangeError("invalid bucket name");
    }
    return path.join(this.root, bucket);
  }

  bucketExists(bucket: string): boolean {
    try {
      return fs.statSync(this.bucketPath(bucket)).isDirectory();
    } catch {
      return false;
    }
  }

  createBucket(bucket: string): void {
    fs.mkdirSync(this.bucketPath(bucket), { recursive: true });
  }

  /** The file holding `key`, or undefined when the key would escape the bucket. */
  objectPath(bucket: string, key: string): string | undefined {
    const base = this.bucketPath(bucket);
    const resolved = path.resolve(base, key.replace(/^\/+/, ""));
    return resolved.startsWith(base + path.sep) ? resolved : undefined;
  }

  objectExists(bucket: string, key: string): boolean {
    const file = this.objectPath(bucket, key);
    if (!file) return false;
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  }

  putObject(bucket: string, key: string, content: string | Uint8Array): void {
    const file = this.objectPath(bucket, key);
    if (!file) throw new RangeError("object key escapes its bucket");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
