// The only way the UI talks to the server: the public REST API through the gateway, same origin, with the session
// cookie the gateway set at sign-in (never a credential in script-readable storage).

/** MLflow's error JSON, or what stands for it when the answer had none. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export const MLFLOW = '/api/2.0/mlflow/';
export const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts/';
export const PROJECTS = '/api/2.0/quarkflow/projects/runs/';

type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>;

const signedOutListeners = new Set<() => void>();

/** Called whenever the server answers 401: the session is gone (expired, signed out elsewhere). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  }
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

/** MLflow's error JSON in a failed answer as an ApiError (a 401 also tells the app the session is gone). */
async function failure(response: Response): Promise<ApiError> {
  const text = await response.text();
  let code = `HTTP_${response.status}`;
  let message = text || response.statusText;
  try {
    const error = JSON.parse(text);
    code = error.error_code ?? code;
    message = error.message ?? message;
  } catch { /* not JSON: keep the text */ }
  if (response.status === 401) signedOutListeners.forEach(l => l());
  return new ApiError(response.status, code, message);
}

/** A GET whose body the caller reads itself (a stream, a blob): the answer when it is a success, else its ApiError. */
export async function open(path: string, query?: Query, signal?: AbortSignal): Promise<Response> {
  const response = await fetch(url(path, query), { signal, credentials: 'same-origin', headers: UI_HEADERS });
  if (!response.ok) throw await failure(response);
  return response;
}

/** Sent with every request: the gateway answers the UI's 401s without a challenge (no browser password dialog). */
const UI_HEADERS = { accept: 'application/json', 'x-requested-with': 'quarkflow-ui' };

async function send<T>(method: string, path: string, query?: Query, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, signal, credentials: 'same-origin', headers: UI_HEADERS };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...UI_HEADERS, 'content-type': 'application/json' };
  }
  const response = await fetch(url(path, query), init);
  if (!response.ok) throw await failure(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => send<T>('GET', path, query, undefined, signal);
export const post = <T>(path: string, body: unknown, signal?: AbortSignal) => send<T>('POST', path, undefined, body, signal);
export const del = <T>(path: string, query?: Query) => send<T>('DELETE', path, query);

/** The MLflow endpoint `name` (e.g. "runs/search"). */
export const mlflow = {
  get: <T>(name: string, query?: Query, signal?: AbortSignal) => get<T>(MLFLOW + name, query, signal),
  post: <T>(name: string, body: unknown, signal?: AbortSignal) => post<T>(MLFLOW + name, body, signal),
};

/** The URL an artifact of a run downloads from (the gateway's artifact proxy; the session cookie goes along). */
export function artifactUrl(runId: string, path: string): string {
  return url('/get-artifact', { run_id: runId, path });
}

export interface Session {
  user: string;
  permission: 'READ' | 'EDIT';
  /** False when the gateway runs without authentication: no sign-in, no sign-out. */
  authentication: boolean;
}
