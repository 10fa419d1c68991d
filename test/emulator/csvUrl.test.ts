/**
 * `csv` connections: a CSV file over HTTP, its one schema `data` (the header's columns) and
 * primary keys on it; `urlMap` serves a public URL from a local server (offline runs).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCliArgs } from "../../cli/emulator";
import type { Emulator } from "../../emulator";
import { mappedUrl } from "../../emulator/csvUrl/source";
import { call, startTestEmulator } from "./support";

const PUBLIC = "https://files.example.com";
let server: http.Server;
let emulator: Emulator;
const requested: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requested.push(req.url ?? "");
    if (req.url === "/missing.csv") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/csv" }).end("first name,EMail, plan \nAda,ada@example.com,pro\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emulator = await startTestEmulator({ urlMap: [[PUBLIC, local]] });
});
afterAll(async () => {
  await emulator?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const csvConnection = (path: string, extra: Record<string, unknown> = {}) => ({ name: "contacts", type: "csv", configuration: { url: `${PUBLIC}${path}` }, ...extra });

describe("a csv connection", () => {
  it("reads the file's header as schema data, through the URL map", async () => {
    const created = await call(emulator, "POST", "/api/connections", csvConnection("/raw/contacts.csv"));
    expect(created.status, created.text).toBe(200);
    expect(created.body.data.status).toBe("healthy");
    const id = created.body.data.id;
    const schema = await call(emulator, "GET", `/api/connections/${id}/schemas/data`);
    expect(schema.body.data).toEqual({
      id: "data",
      name: "data",
      fields: ["first name", "EMail", "plan"].map((name) => ({ id: name, name, type: "string", remote_type: "string", is_primary_key: false })),
    });
    expect(requested).toContain("/raw/contacts.csv");
    expect((await call(emulator, "GET", `/api/connections/${id}/schemas/other`)).status).toBe(404);

    const set = await call(emulator, "PUT", `/api/connections/${id}/schemas/data/primary_keys`, { fields: [{ field_id: "EMail", is_primary_key: true }] });
    expect(set.status).toBe(200);
    const keyed = await call(emulator, "GET", `/api/connections/${id}/schemas/data`);
    expect(keyed.body.data.fields.filter((f: { is_primary_key: boolean }) => f.is_primary_key).map((f: { id: string }) => f.id)).toEqual(["EMail"]);
  });

  it("refuses a file it cannot read (validate), or saves it unhealthy (validate: false)", async () => {
    const refused = await call(emulator, "POST", "/api/connections", csvConnection("/missing.csv"));
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe(`configuration: cannot read the CSV file: GET ${PUBLIC}/missing.csv answered HTTP 404`);
    const saved = await call(emulator, "POST", "/api/connections", csvConnection("/missing.csv", { validate: false }));
    expect(saved.status).toBe(200);
    expect(saved.body.data.status).toBe("unhealthy");
  });

  it("refuses a configuration without a URL", async () => {
    const refused = await call(emulator, "POST", "/api/connections", { name: "x", type: "csv", configuration: {} });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/^configuration\.url: /);
  });
});

describe("the URL map", () => {
  it("rewrites the first matching prefix only", () => {
    const map = [["https://a.example", "http://127.0.0.1:1"], ["https://", "http://never"]] as const;
    expect(mappedUrl("https://a.example/x/y.csv", map)).toBe("http://127.0.0.1:1/x/y.csv");
    expect(mappedUrl("https://b.example/z", map)).toBe("http://neverb.example/z");
    expect(mappedUrl("https://c.example/z")).toBe("https://c.example/z");
  });

  it("is a repeatable CLI flag", () => {
    expect(parseCliArgs(["--url-map", "https://a=http://b", "--url-map", "https://c=http://d"], {}).urlMap).toEqual([
      ["https://a", "http://b"],
      ["https://c", "http://d"],
    ]);
    expect(() => parseCliArgs(["--url-map", "nothing"], {})).toThrow("--url-map must be <prefix>=<replacement>");
  });
});
