// The benchmarks' JSON calls to the server under test: any non-2xx answer is an error worth stopping for.
export function apiClient(baseUrl: string) {
  return async <T>(method: string, route: string, body?: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}
