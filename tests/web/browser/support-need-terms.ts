// What an employer-contact page must never hold: the codes and the Swedish
// and English labels of the support-need catalogue (data/support/needs.csv).
// A need code that is also the code of a support offered (e.g.
// "sign_language", "language_support") names the workplace's support, not a
// person's need, and is not searched for: it is in every opening and in the
// supply gaps' support_gaps. A page that could receive need codes in a field
// of their own (GetSupplyGaps' need_gaps) must therefore also check that field
// is empty, since a shared code there would go unseen. Need labels are all
// searched for, the health-related ones included; no support's label contains
// one. Codes match as whole tokens, so "job_coach" does not match the support
// "job_coach_on_site".
import { expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './env';

/** Splits one CSV line (quotes as in data/README.md). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(field); field = ''; }
    else field += c;
  }
  out.push(field);
  return out;
}

function rows(file: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(path.join(repoRoot, file), 'utf8').split(/\r?\n/).filter(Boolean);
  const names = csvFields(header);
  return lines.map((l) => Object.fromEntries(csvFields(l).map((v, i) => [names[i], v])));
}

export interface NeedTerms {
  codes: string[];
  labels: string[];
}

export function supportNeedTerms(): NeedTerms {
  const supportCodes = new Set(rows('data/support/supports.csv').map((r) => r.code));
  const needs = rows('data/support/needs.csv');
  expect(needs.length).toBeGreaterThan(5);
  // The check would be blind to a need whose label a support's label holds.
  const supportText = rows('data/support/supports.csv').map((r) => `${r.label_sv}\n${r.label_en}`).join('\n');
  for (const r of needs) {
    expect(supportText.includes(r.label_sv) || supportText.includes(r.label_en), r.code).toBe(false);
  }
  return {
    codes: needs.map((r) => r.code).filter((c) => !supportCodes.has(c)),
    labels: needs.flatMap((r) => [r.label_sv, r.label_en]),
  };
}

/** Each support's Swedish label by code (data/support/supports.csv). */
export function supportLabels(): Map<string, string> {
  return new Map(rows('data/support/supports.csv').map((r) => [r.code, r.label_sv]));
}

/** The need terms found in `text` (empty when none). */
export function needTermsIn(text: string, terms: NeedTerms): string[] {
  const found: string[] = [];
  for (const code of terms.codes) {
    if (new RegExp(`(^|[^A-Za-z0-9_])${code}([^A-Za-z0-9_]|$)`).test(text)) found.push(code);
  }
  for (const label of terms.labels) {
    // JSON escapes nothing in these labels but a quote; look in both forms.
    if (text.includes(label) || text.includes(JSON.stringify(label).slice(1, -1))) found.push(label);
  }
  return found;
}

/**
 * Collects every request body the page sends and every response body it
 * receives (API answers, the bundle, the page itself) for a later check.
 */
export function recordTraffic(page: Page) {
  const seen: { what: string; text: string }[] = [];
  const pending: Promise<void>[] = [];
  page.on('request', (request) => {
    seen.push({ what: `request ${request.method()} ${request.url()}`, text: `${request.url()}\n${request.postData() ?? ''}` });
  });
  // 'requestfinished' fires once the whole body has arrived, so reading it
  // cannot wait on a body that never ends.
  page.on('requestfinished', (request) => {
    pending.push(
      (async () => {
        const response = await request.response();
        if (!response) return;
        const text = (await response.body()).toString('utf8');
        seen.push({ what: `response ${response.status()} ${response.url()}`, text });
      })().catch(() => { /* a body the browser dropped (a redirect) has no text */ }),
    );
  });
  return {
    seen,
    /** Waits for every response body that has started to arrive. */
    settle: async () => { await Promise.all(pending); },
  };
}
