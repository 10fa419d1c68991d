/**
 * The host's stderr copy of an expected failure (Pulumi's dynamic-provider host writes
 * `${err}: ${err.stack}` for check, diff, read and delete) is dropped, once per error handed over;
 * any other line, a bug's included, is written as before.
 */
import { afterEach, beforeEach, expect, it, vi } from "vitest";

let written: unknown[][];
const original = console.error;

beforeEach(() => {
  vi.resetModules();
  written = [];
  console.error = (...args: unknown[]) => void written.push(args);
});
afterEach(() => {
  console.error = original;
});

/** What the host does with a method's error: writes its line, then hands the message to the engine. */
async function asTheHost(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "";
  } catch (e) {
    console.error(`${e}: ${(e as Error).stack}`);
    return (e as Error).message;
  }
}

it("drops the host's line for each expected failure of check/read/delete, and only that line", async () => {
  const { ExpectedFailure, quietly } = await import("../../providers/runtime/expectedFailure");
  const fail = (message: string) => () => Promise.reject(new ExpectedFailure(message));
  // Two resources failing the same way: both copies dropped.
  expect(await asTheHost(() => quietly(fail("Cannot reach the API (polytomic:url)"), true))).toBe("Cannot reach the API (polytomic:url)");
  expect(await asTheHost(() => quietly(fail("Cannot reach the API (polytomic:url)"), true))).toBe("Cannot reach the API (polytomic:url)");
  expect(written).toEqual([]);
  // The same text written by anything else afterwards still shows.
  console.error("Error: Cannot reach the API (polytomic:url): ");
  console.error("another line", 2);
  expect(written).toEqual([["Error: Cannot reach the API (polytomic:url): "], ["another line", 2]]);
});

it("keeps a bug's line with its stack, and create/update's errors (the host writes none for them) leave nothing pending", async () => {
  const { ExpectedFailure, quietly } = await import("../../providers/runtime/expectedFailure");
  await asTheHost(() => quietly(() => Promise.reject(new TypeError("x is undefined")), true));
  expect(written).toHaveLength(1);
  expect(String(written[0][0])).toMatch(/^TypeError: x is undefined: TypeError: x is undefined\n\s+at /);
  await quietly(() => Promise.reject(new ExpectedFailure("refused the API key")), false).catch(() => undefined);
  console.error("Error: refused the API key: ");
  expect(written).toHaveLength(2);
});
