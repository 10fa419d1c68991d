/**
 * The journal of creates keeps only what a retry can need (createJournal.ts): with the real engine
 * and plain `pulumi` (state written once per run), 20 rounds of `pulumi up --replace` of each of
 * 50 syncs (1,000 creates and 1,000 deletes) leave the stack's notes as large as after the first
 * round, with one journal record per object the stack manages. On a file backend; on a
 * PostgreSQL backend (the notes rows of the state's table) the same in fewer rounds, for the
 * suite's time: what is kept per record does not depend on the backend, only where.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenedStack } from "../../scripts/lib/stack";
import { stackNotes } from "../../providers/runtime/stackNotes";
import { createWorld, type E2eWorld, syncsConfig } from "./fixture";
import { liveIds, pulumiCli, stateIds, stateResources } from "./crashKit";
import { postgresBackendUrl } from "../support/postgres";

const SYNCS = 50;
const STACK = "journal-size";

describe.each([
  { backend: "file", ROUNDS: 20 },
  { backend: "postgres", ROUNDS: 5 },
] as const)("the journal over many replacements, on a $backend backend", ({ backend, ROUNDS }) => {
  let world: E2eWorld;
  let opened: OpenedStack;

  beforeAll(async () => {
    world = await createWorld({ backendUrl: backend === "postgres" ? postgresBackendUrl("journal_size") : undefined });
    opened = await world.stack(STACK, { ...world.baseConfig(), syncs: syncsConfig(SYNCS) });
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  const up = (...args: string[]) => pulumiCli(["up", "--yes", "--skip-preview", "--stack", STACK, ...args], opened.stack.workspace.workDir, opened.env);
  /** The stack's notes: every record's bytes, and how many records. */
  const notesSize = async () => {
    const notes = stackNotes(`polytomic-pipelines/${STACK}`, opened.env)!;
    const records = await notes.list("creates/");
    // The other notes (nonce, org webhook...): a PostgreSQL backend lists the records under "" too.
    const others = [...(await notes.list(""))].filter(([name]) => !records.has(name)).map(([, text]) => text);
    const bytes = [...records.values(), ...others].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    return { bytes, records: records.size };
  };

  it(`${ROUNDS} rounds of replacing ${SYNCS} syncs leave the notes' size flat`, async () => {
    const first = await up();
    expect(first.code, first.output.slice(-2000)).toBe(0);
    const syncs = (await stateResources(opened.stack)).filter((r) => r.type.endsWith(":ModelSync"));
    expect(syncs).toHaveLength(SYNCS);
    const replace = syncs.flatMap((r) => ["--replace", r.urn]);

    const sizes: { bytes: number; records: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = new Set((await stateResources(opened.stack)).filter((r) => r.type.endsWith(":ModelSync")).map((r) => r.id));
      const run = await up(...replace);
      expect(run.code, run.output.slice(-2000)).toBe(0);
      const after = (await stateResources(opened.stack)).filter((r) => r.type.endsWith(":ModelSync"));
      // Each round really replaced every sync.
      expect(after.filter((r) => before.has(r.id))).toEqual([]);
      expect(world.emulator.state.syncs()).toHaveLength(SYNCS);
      sizes.push(await notesSize());
    }
    expect(await stateIds(opened.stack)).toEqual(liveIds(world.emulator));
    // One record per object the stack manages, every round; the bytes vary only with timestamps' and ids' lengths.
    expect(sizes.map((s) => s.records)).toEqual(Array(ROUNDS).fill(liveIds(world.emulator).size));
    const [low, high] = [Math.min(...sizes.map((s) => s.bytes)), Math.max(...sizes.map((s) => s.bytes))];
    expect(high / low).toBeLessThan(1.05);
    console.log(`[journal] ${backend}: notes after each of ${ROUNDS} rounds: ${sizes.map((s) => s.bytes).join(", ")} bytes, ${sizes[0].records} records`);
  }, 900_000);
});
