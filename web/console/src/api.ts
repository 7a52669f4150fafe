// The console's only door to the server: placement-web's HTTP API (see
// web-contract.md). Unary calls use the Connect protocol's unary form: POST
// /placement.v1.<Service>/<Method> with the request message as JSON; the
// answer is the response message as JSON (protobuf's canonical JSON:
// lowerCamelCase names, enum values by their proto names).
//
// The session lives in an HttpOnly cookie the page cannot read; nothing about
// it is kept in a URL or in browser storage.

/** The role slugs the gateway reports. */
export type Role = 'coach' | 'employer_contact' | 'operator' | 'admin' | 'auditor';

/** The signed-in person. */
export interface SessionInfo {
  principalId: string;
  role: Role;
}

/** A failed call: a Connect error code ("not_found", …) and the server's message. */
export class ApiError extends Error {
  readonly code: string;
  /** HTTP status of the answer; 0 when the gateway could not be reached. */
  readonly status: number;
  /** Seconds to wait before trying again, when the answer said so. */
  readonly retryAfterSeconds?: number;

  constructor(code: string, message: string, status = 0, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const JSON_HEADERS = {
  'Content-Type': 'application/json',
  'Connect-Protocol-Version': '1',
};

type Listener = () => void;
const sessionEndedListeners = new Set<Listener>();

/**
 * Calls `listener` whenever a call finds that the session has ended (expired
 * or signed out elsewhere). Returns a function that stops listening.
 */
export function onSessionEnded(listener: Listener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

function statusCode(status: number): string {
  switch (status) {
    case 400: return 'invalid_argument';
    case 401: return 'unauthenticated';
    case 403: return 'permission_denied';
    case 404: return 'not_found';
    case 409: return 'already_exists';
    case 412: return 'failed_precondition';
    case 429: return 'resource_exhausted';
    case 503: return 'unavailable';
    case 504: return 'deadline_exceeded';
    default: return status >= 500 ? 'internal' : 'unknown';
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const retryHeader = response.headers.get('Retry-After');
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : undefined;
  let code = statusCode(response.status);
  let message = response.statusText;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const b = body as { code?: unknown; message?: unknown };
      if (typeof b.code === 'string') code = b.code;
      if (typeof b.message === 'string') message = b.message;
    }
  } catch {
    // Not JSON (a proxy's page, an empty body): keep the status's code.
  }
  return new ApiError(code, message, response.status, retryAfter);
}

async function send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method,
      headers: method === 'POST' ? JSON_HEADERS : { Accept: 'application/json' },
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError('unavailable', e instanceof Error ? e.message : String(e));
  }
}

/**
 * Calls one unary RPC. `service` is "CoachService" or the full
 * "placement.v1.CoachService"; `body` is the request message as JSON.
 * Resolves to the response message; throws ApiError. A 401 also tells the
 * onSessionEnded listeners.
 */
export async function call<T = unknown>(service: string, method: string, body: object = {}): Promise<T> {
  const full = service.includes('.') ? service : `placement.v1.${service}`;
  const response = await send('POST', `/${full}/${method}`, body);
  if (!response.ok) {
    const error = await errorOf(response);
    if (error.code === 'unauthenticated') sessionEndedListeners.forEach((l) => l());
    throw error;
  }
  if (response.status === 204) return {} as T;
  return (await response.json()) as T;
}

/** The live session, or null when there is none. */
export async function session(): Promise<SessionInfo | null> {
  const response = await send('GET', '/api/session');
  if (response.status === 401) return null;
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as SessionInfo;
}

/** Signs in with a token from the credentials; throws ApiError (401 bad token, 429 slowed down). */
export async function signIn(token: string): Promise<SessionInfo> {
  const response = await send('POST', '/api/session', { token });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as SessionInfo;
}

/** Ends the session; the gateway clears the cookie. */
export async function signOut(): Promise<void> {
  const response = await send('POST', '/api/session/end', {});
  if (!response.ok && response.status !== 401) throw await errorOf(response);
}

/** A run being watched: `done` settles when the stream ends; `close()` stops early. */
export interface RunWatch {
  done: Promise<void>;
  close(): void;
}

/**
 * Follows a re-match run's progress as server-sent events: `onProgress` gets
 * each RunProgress message (JSON). `done` resolves after the last one and
 * rejects with an ApiError when the stream reports an error or breaks.
 */
export function watchRun<P = unknown>(runId: string, onProgress: (progress: P) => void): RunWatch {
  const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/progress`);
  let settle: { resolve: () => void; reject: (e: ApiError) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = (error?: ApiError) => {
    source.close();
    if (error) settle?.reject(error);
    else settle?.resolve();
  };
  source.addEventListener('progress', (event) => {
    onProgress(JSON.parse((event as MessageEvent<string>).data) as P);
  });
  source.addEventListener('end', () => finish());
  source.addEventListener('error', (event) => {
    const data = (event as MessageEvent<string>).data;
    if (typeof data === 'string' && data.length > 0) {
      try {
        const body = JSON.parse(data) as { code?: string; message?: string };
        finish(new ApiError(body.code ?? 'unknown', body.message ?? ''));
        return;
      } catch {
        // fall through: not a JSON error event
      }
    }
    // The connection itself failed; EventSource would retry, but a finished
    // stream must not be replayed, so stop here.
    finish(new ApiError('unavailable', 'progress stream interrupted'));
  });
  return { done, close: () => finish() };
}
