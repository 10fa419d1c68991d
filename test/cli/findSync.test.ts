/** polytomic-sync's choice of sync from the stack outputs, and what it says when there is none. */
import { describe, expect, it } from "vitest";
import { findSync } from "../../cli/sync/findSync";

describe("findSync", () => {
  it("finds a sync by its key in the output syncs", () => {
    expect(findSync({ syncs: { sync: "s-1", daily: "s-2" } }, "daily")).toEqual({ ok: true, syncId: "s-2", name: "daily" });
  });

  it("says which output a program without syncs must export", () => {
    const found = findSync({}, "sync");
    expect(found.ok).toBe(false);
    expect(!found.ok && found.message).toContain("export const syncs = pipeline.syncs");
  });
});
