// Openings as any signed-in role may read them (EmployerService.ListOpenings):
// titles, organisations and places for the ids that matches name. Kept for a
// minute, and dropped after a decision changes places taken.
import { call, onSessionEnded } from './api';
import type { Opening } from './types';

export interface OpeningIndex {
  all: Opening[];
  get(id: string | undefined): Opening | undefined;
}

let cached: { at: number; value: Promise<OpeningIndex> } | undefined;
const TTL_MS = 60_000;

onSessionEnded(() => { cached = undefined; });

async function fetchAll(): Promise<OpeningIndex> {
  const all: Opening[] = [];
  let pageToken = '';
  do {
    const page = await call<{ openings?: Opening[]; nextPageToken?: string }>(
      'EmployerService', 'ListOpenings', { page: { pageSize: 500, pageToken } });
    all.push(...(page.openings ?? []));
    pageToken = page.nextPageToken ?? '';
  } while (pageToken);
  const byId = new Map(all.map((o) => [o.id, o]));
  return { all, get: (id) => (id ? byId.get(id) : undefined) };
}

/** Every opening (any status), fetched at most once a minute. */
export function loadOpenings(): Promise<OpeningIndex> {
  const now = Date.now();
  if (!cached || now - cached.at > TTL_MS) {
    const value = fetchAll();
    cached = { at: now, value };
    value.catch(() => { if (cached?.value === value) cached = undefined; });
  }
  return cached.value;
}

/** Forgets the openings, e.g. after a proposal was accepted. */
export function forgetOpenings(): void {
  cached = undefined;
}
