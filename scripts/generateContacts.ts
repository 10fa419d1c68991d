/**
 * Writes the demo contacts CSV (data/high_paying_users.csv) deterministically: the same seed
 * always gives the same file. Also used by the benchmarks to write files of any size.
 * `node dist/scripts/generateContacts.js [rows] [file]`
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const CONTACT_COLUMNS = [
  "email_address", "first_name", "last_name", "company", "country", "plan", "lifetime_value_usd", "signed_up_at",
] as const;

const FIRST = ["Ada", "Grace", "Linus", "Margaret", "Alan", "Zoë", "José", "Björn", "Aiko", "Chidi", "Priya", "Mateo", "Émilie", "Sven", "Noor", "Kwame"];
const LAST = ["Lovelace", "Hopper", "Torvalds", "Hamilton", "Turing", "O'Neill", "García", "Müller", "Tanaka", "Okafor", "Sharma", "Rossi", "Dubois", "Larsen", "Haddad", "Mensah"];
const COMPANIES = ["Acme, Inc.", "Globex", "Initech", "Umbrella \"Labs\"", "Hooli", "Stark Industries", "Wayne Enterprises", "Soylent", "Vandelay Import/Export", "Pied Piper"];
const COUNTRIES = ["US", "GB", "DE", "FR", "JP", "NG", "IN", "BR", "SE", "CA"];
const PLANS = ["enterprise", "business", "pro"];

/** Mulberry32: tiny, fast, and the same numbers on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Row `i` (0-based) of the contacts file for a seed. */
export function* contactRows(count: number, seed = 42): Generator<string[]> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const start = Date.UTC(2019, 0, 1);
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const local = `${first}.${last}`.normalize("NFD").replace(/[^A-Za-z.]/g, "").toLowerCase();
    const signedUp = new Date(start + Math.floor(random() * 5 * 365 * 86_400_000));
    yield [
      `${local}.${i}@example.com`,
      first,
      last,
      pick(COMPANIES),
      pick(COUNTRIES),
      pick(PLANS),
      (5_000 + Math.floor(random() * 495_000)).toFixed(0),
      signedUp.toISOString().slice(0, 10),
    ];
  }
}

/** Writes `count` rows plus the header, streaming (a million rows take no memory to speak of). */
export async function writeContactsCsv(file: string, count: number, seed = 42): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out = fs.createWriteStream(file);
  const write = (line: string) => (out.write(line) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write(`${CONTACT_COLUMNS.join(",")}\n`);
  for (const row of contactRows(count, seed)) await write(`${row.map(csvCell).join(",")}\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

if (require.main === module) {
  const rows = Number(process.argv[2] ?? 500);
  const file = process.argv[3] ?? path.join(__dirname, "..", "..", "data", "high_paying_users.csv");
  writeContactsCsv(file, rows).then(() => console.log(`wrote ${rows} rows to ${file}`));
}
