// The reference tables that hold nothing about anyone's health: skills,
// occupation fields, supports offered and municipalities. The employer,
// operator and admin pages use this loader instead of reference.ts's, which
// also fetches the support-need catalogue: an employer-contact page must not
// receive need codes or need labels at all, not even in a response it does
// not show (the employer flow's browser test checks every response body).

import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import { localized } from '../i18n';
import type { Municipality, ReferenceCode, Skill } from '../types';

export interface PublicCodes {
  skills: Skill[];
  fields: ReferenceCode[];
  supports: ReferenceCode[];
  municipalities: Municipality[];
  skill(code: string): Skill | undefined;
  field(code: string): ReferenceCode | undefined;
  support(code: string): ReferenceCode | undefined;
  municipality(code: string): Municipality | undefined;
}

let cached: Promise<PublicCodes> | undefined;
let loaded: PublicCodes | undefined;

function index<T extends { code: string }>(items: T[]): (code: string) => T | undefined {
  const map = new Map(items.map((item) => [item.code, item]));
  return (code) => map.get(code);
}

async function fetchCodes(): Promise<PublicCodes> {
  const [skills, fields, supports, municipalities] = await Promise.all([
    call<{ skills?: Skill[] }>('ReferenceDataService', 'ListSkills', {}),
    call<{ fields?: ReferenceCode[] }>('ReferenceDataService', 'ListOccupationFields', {}),
    call<{ supports?: ReferenceCode[] }>('ReferenceDataService', 'ListSupports', {}),
    call<{ municipalities?: Municipality[] }>('ReferenceDataService', 'ListMunicipalities', {}),
  ]);
  const codes: PublicCodes = {
    skills: skills.skills ?? [],
    fields: fields.fields ?? [],
    supports: supports.supports ?? [],
    municipalities: municipalities.municipalities ?? [],
    skill: index(skills.skills ?? []),
    field: index(fields.fields ?? []),
    support: index(supports.supports ?? []),
    municipality: index(municipalities.municipalities ?? []),
  };
  loaded = codes;
  return codes;
}

/** The tables (fetched once per page load; a failed fetch is retried next time). */
export function loadPublicCodes(): Promise<PublicCodes> {
  if (!cached) {
    cached = fetchCodes().catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
  }
  return cached;
}

/** Hook: the tables once loaded, or the error of loading them. */
export function usePublicCodes(): { codes?: PublicCodes; error?: unknown; retry: () => void } {
  const [state, setState] = useState<{ codes?: PublicCodes; error?: unknown }>(
    loaded ? { codes: loaded } : {});
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (state.codes) return;
    let live = true;
    loadPublicCodes().then(
      (codes) => { if (live) setState({ codes }); },
      (error: unknown) => { if (live) setState({ error }); });
    return () => { live = false; };
  }, [attempt]);
  return { ...state, retry: () => { setState({}); setAttempt((n) => n + 1); } };
}

type Kind = 'skill' | 'field' | 'support' | 'municipality';

/** The label of a code in the current language; an unknown code is shown as it is. */
export function codeLabel(codes: PublicCodes | undefined, kind: Kind, code: string | undefined): string {
  if (!code) return '';
  const entry = codes?.[kind](code);
  return entry ? localized(entry.label) || code : code;
}

/** Municipalities by name (Swedish collation), for pickers. */
export function municipalitiesByName(codes: PublicCodes): Municipality[] {
  return [...codes.municipalities].sort((a, b) =>
    localized(a.label).localeCompare(localized(b.label), 'sv'));
}
