// Reference data, loaded once per session from ReferenceDataService and
// cached: skills, occupation fields, supports, support needs and
// municipalities, each code with its Swedish and English label. Pages show
// labels, never bare codes.
import { useEffect, useState } from 'preact/hooks';
import { call } from './api';
import { localized } from './i18n';
import type { Municipality, ReferenceCode, Skill, SupportNeedCode } from './types';

export interface Reference {
  skills: Skill[];
  fields: ReferenceCode[];
  supports: ReferenceCode[];
  needs: SupportNeedCode[];
  municipalities: Municipality[];
  skill(code: string): Skill | undefined;
  field(code: string): ReferenceCode | undefined;
  support(code: string): ReferenceCode | undefined;
  need(code: string): SupportNeedCode | undefined;
  municipality(code: string): Municipality | undefined;
}

/** The kinds of code a label can be asked for. */
export type CodeKind = 'skill' | 'field' | 'support' | 'need' | 'municipality';

let cached: Promise<Reference> | undefined;
let loaded: Reference | undefined;

function index<T extends { code: string }>(items: T[]): (code: string) => T | undefined {
  const map = new Map(items.map((item) => [item.code, item]));
  return (code) => map.get(code);
}

async function fetchReference(): Promise<Reference> {
  const [skills, fields, supports, needs, municipalities] = await Promise.all([
    call<{ skills?: Skill[] }>('ReferenceDataService', 'ListSkills', {}),
    call<{ fields?: ReferenceCode[] }>('ReferenceDataService', 'ListOccupationFields', {}),
    call<{ supports?: ReferenceCode[] }>('ReferenceDataService', 'ListSupports', {}),
    call<{ needs?: SupportNeedCode[] }>('ReferenceDataService', 'ListSupportNeeds', {}),
    call<{ municipalities?: Municipality[] }>('ReferenceDataService', 'ListMunicipalities', {}),
  ]);
  const reference: Reference = {
    skills: skills.skills ?? [],
    fields: fields.fields ?? [],
    supports: supports.supports ?? [],
    needs: needs.needs ?? [],
    municipalities: municipalities.municipalities ?? [],
    skill: index(skills.skills ?? []),
    field: index(fields.fields ?? []),
    support: index(supports.supports ?? []),
    need: index(needs.needs ?? []),
    municipality: index(municipalities.municipalities ?? []),
  };
  loaded = reference;
  return reference;
}

/** The reference data (fetched on first use; a failed fetch is retried next time). */
export function loadReference(): Promise<Reference> {
  if (!cached) {
    cached = fetchReference().catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
  }
  return cached;
}

/** The reference data if already loaded, else undefined. */
export function referenceNow(): Reference | undefined {
  return loaded;
}

/** Forgets the cache (on sign-out, so the next person fetches their own). */
export function clearReference(): void {
  cached = undefined;
  loaded = undefined;
}

/**
 * Hook: the reference data once loaded (undefined before), and the error if
 * loading failed.
 */
export function useReference(): { reference?: Reference; error?: unknown } {
  const [state, setState] = useState<{ reference?: Reference; error?: unknown }>(
    loaded ? { reference: loaded } : {});
  useEffect(() => {
    if (state.reference) return;
    let live = true;
    loadReference().then(
      (reference) => { if (live) setState({ reference }); },
      (error: unknown) => { if (live) setState({ error }); });
    return () => { live = false; };
  }, []);
  return state;
}

/**
 * The label of a code in the current language. A code the tables do not know
 * is shown as it is, marked, so nothing is hidden.
 */
export function label(kind: CodeKind, code: string, reference: Reference | undefined = loaded): string {
  if (!reference) return code;
  const entry = reference[kind](code);
  return entry ? localized(entry.label) || code : code;
}

/** A municipality's name, e.g. "Haninge" for "0136". */
export function municipalityName(code: string | undefined, reference: Reference | undefined = loaded): string {
  return code ? label('municipality', code, reference) : '';
}
