import type { ErrorResponse } from '../consoleApi.js';

/**
 * The page's only way to the server. The token comes from the page's own URL (the printed link) and goes
 * in a header with every request, so state-changing requests and bodies carry it where a cross-site form
 * or image could not put it.
 */
const token = new URLSearchParams(location.search).get('token') ?? '';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  return request<T>(path, { method: 'GET' });
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function request<T>(path: string, init: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), 'x-console-token': token },
    credentials: 'omit',
  });
  const payload = (await response.json().catch(() => ({ error: response.statusText }))) as T | ErrorResponse;
  if (!response.ok)
    throw new ApiError(response.status, (payload as ErrorResponse).error ?? response.statusText);
  return payload as T;
}
