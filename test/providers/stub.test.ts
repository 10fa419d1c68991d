/**
 * What Pulumi stores as `__provider`: each stub serializes on its own, small, without
 * credentials or zod, and the stubs differ only by their kind.
 */
import { describe, expect, it } from "vitest";
import { serializeFunction } from "@pulumi/pulumi/runtime";
import { providers } from "../../providers/stub";

describe("serialized provider stubs", () => {
  it("are small, hold no credentials or schemas, and differ only by kind", async () => {
    process.env.POLYTOMIC_API_KEY = "must-not-be-captured-123";
    const texts: Record<string, string> = {};
    for (const [kind, provider] of Object.entries(providers)) {
      const serialized = await serializeFunction(() => provider, { allowSecrets: false });
      texts[kind] = serialized.text;
      expect(serialized.containsSecrets).toBe(false);
      expect(serialized.text.length).toBeLessThan(4000);
      expect(serialized.text).not.toContain("must-not-be-captured-123");
      expect(serialized.text).not.toMatch(/zod|safeParse/);
      expect(serialized.text).toContain(`"${kind}"`);
    }
    const normalized = Object.entries(texts).map(([kind, text]) => text.split(`"${kind}"`).join('"KIND"'));
    expect(new Set(normalized).size).toBe(1);
  });
});
