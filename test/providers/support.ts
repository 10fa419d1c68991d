/** What the provider tests share: calling the emulator's API directly, as Polytomic's UI would. */

/** A caller of the API at `url` with `apiKey`: the status, the raw text and the answer's `data`. */
export function apiCaller(url: () => string, apiKey: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url() + path, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, data: text ? JSON.parse(text).data : undefined };
  };
}
