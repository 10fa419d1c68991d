/**
 * Every change is stored: a row edited A -> B -> A in the bucket's CSV across three
 * `npm run sync` runs reaches the receiver three times, and all three are stored (A twice),
 * although the third record has the first one's hash.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordLine } from "../../receiver";
import { startWorld, TEST_CSV, World } from "./world";

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

/** Ada's row, identified by content: the record keys follow the sync's field mapping. */
const isAda = (line: RecordLine) => Object.values(line.fields).includes("ada@example.com");
const firstNameOf = (line: RecordLine) => ["Ada", "Adele"].find((name) => Object.values(line.fields).includes(name));

describe("A -> B -> A across three sync runs", () => {
  it("stores every delivery, so A is stored twice", async () => {
    const edited = TEST_CSV.replace("ada@example.com,Ada,", "ada@example.com,Adele,");
    expect(edited).not.toBe(TEST_CSV);

    expect((await world.runSync()).code).toBe(0); // A (and Grace)
    world.writeCsv(edited);
    expect((await world.runSync()).code).toBe(0); // B
    world.writeCsv(TEST_CSV);
    expect((await world.runSync()).code).toBe(0); // A again

    const ada = world.records().filter(isAda);
    expect(ada.map(firstNameOf)).toEqual(["Ada", "Adele", "Ada"]);
    expect(ada[2].fields).toEqual(ada[0].fields);
    expect(ada[2].hash).toBe(ada[0].hash);
    // Three deliveries, each stored: the third is new, not a retry of the first.
    expect(new Set(ada.map((line) => line.delivery)).size).toBe(3);
    expect(world.records()).toHaveLength(4); // Ada and Grace, then Adele, then Ada
    expect(world.receiver.summary()).toMatchObject({ records: 4, deliveries: 3, duplicateDeliveries: 0 });
  });

  it("a run with no change delivers and stores nothing", async () => {
    expect((await world.runSync()).code).toBe(0);
    expect(world.records()).toHaveLength(4);
  });
});
