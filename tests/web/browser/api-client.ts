// A signed-in client of the gateway's API for the tests' own set-up and
// checks (what a second person does meanwhile, what the server stored):
// the same Connect calls the page makes, through the same gateway.
import { request, type APIRequestContext } from '@playwright/test';
import { webUrl } from './env';

export interface ApiClient {
  call<T = unknown>(service: string, method: string, body?: object): Promise<T>;
  /** The call's HTTP status and JSON body, for refusals. */
  raw(service: string, method: string, body?: object): Promise<{ status: number; body: { code?: string; message?: string } }>;
  dispose(): Promise<void>;
}

export async function apiClient(token: string): Promise<ApiClient> {
  const context: APIRequestContext = await request.newContext({
    baseURL: webUrl(),
    extraHTTPHeaders: { 'Connect-Protocol-Version': '1' },
  });
  const signIn = await context.post('/api/session', { data: { token } });
  if (signIn.status() !== 200) throw new Error(`sign-in with ${token}: HTTP ${signIn.status()}`);
  const raw = async (service: string, method: string, body: object = {}) => {
    const r = await context.post(`/placement.v1.${service}/${method}`, { data: body });
    return { status: r.status(), body: (await r.json()) as { code?: string; message?: string } };
  };
  return {
    raw,
    async call<T>(service: string, method: string, body: object = {}): Promise<T> {
      const r = await raw(service, method, body);
      if (r.status !== 200) throw new Error(`${service}/${method}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as T;
    },
    dispose: () => context.dispose(),
  };
}

/** Today in Swedish time as the API's Date. */
export function today(): { year: number; month: number; day: number } {
  const [year, month, day] = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' })
    .format(new Date()).split('-').map(Number);
  return { year, month, day };
}

/**
 * Publishes an opening in Haninge that offers every support, so that the
 * Haninge coach's participants can reach it; returns its id.
 */
export async function publishHaningeOpening(employer: ApiClient, title: string, capacity: number): Promise<string> {
  const supports = await employer.call<{ supports?: { code: string }[] }>('ReferenceDataService', 'ListSupports');
  const opening = await employer.call<{ id: string }>('EmployerService', 'PublishOpening', {
    opening: {
      kind: 'OPENING_KIND_WORK_TRAINING',
      organisationId: 'ORG09998',
      organisationName: 'Livscykel AB',
      title,
      location: { municipalityCode: '0136' },
      occupationField: 'kitchen_restaurant',
      supportsOffered: (supports.supports ?? []).map((s) => s.code),
      capacity,
      minHoursPerWeek: 5,
      maxHoursPerWeek: 40,
      step: 3,
      startDate: today(),
    },
  });
  return opening.id;
}
