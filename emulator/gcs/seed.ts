/** Seeds the demo bucket with the repository's CSV, leaving any existing copy alone. */
import * as fs from "node:fs";
import { DEMO_BUCKET, DEMO_CSV_SOURCE, DEMO_OBJECT } from "../defaults";
import type { GcsBuckets } from "./buckets";

export function seedDemoBucket(buckets: GcsBuckets, log: (line: string) => void, source = DEMO_CSV_SOURCE): void {
  buckets.createBucket(DEMO_BUCKET);
  if (buckets.objectExists(DEMO_BUCKET, DEMO_OBJECT)) return;
  if (!fs.existsSync(source)) {
    log(`seed: ${source} not found; bucket ${DEMO_BUCKET} starts empty`);
    return;
  }
  const target = buckets.objectPath(DEMO_BUCKET, DEMO_OBJECT) as string;
  fs.copyFileSync(source, target);
}
