/** Plain HTTP reads of the emulator for assertions: what really exists, independent of Pulumi. */
export interface Inventory {
  connections: { id: string; name: string; type: { id: string }; configuration: Record<string, unknown> }[];
  models: { id: string; name: string }[];
  syncs: { id: string; name: string }[];
  webhooks: { id: string; endpoint: string; secret?: string }[];
}

export async function apiGet<T>(baseUrl: string, apiKey: string, path: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${apiKey}` } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: T }).data;
}

export async function apiSend(baseUrl: string, apiKey: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text).data : undefined;
}

export async function inventory(baseUrl: string, apiKey: string): Promise<Inventory> {
  const [connections, models, syncs, webhooks] = await Promise.all([
    apiGet<Inventory["connections"]>(baseUrl, apiKey, "/api/connections"),
    apiGet<Inventory["models"]>(baseUrl, apiKey, "/api/models"),
    apiGet<Inventory["syncs"]>(baseUrl, apiKey, "/api/syncs?limit=50"),
    apiGet<Inventory["webhooks"]>(baseUrl, apiKey, "/api/webhooks"),
  ]);
  return { connections: connections ?? [], models: models ?? [], syncs: syncs ?? [], webhooks: webhooks ?? [] };
}

export function count(inv: Inventory) {
  return { connections: inv.connections.length, models: inv.models.length, syncs: inv.syncs.length, webhooks: inv.webhooks.length };
}
