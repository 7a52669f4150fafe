// "Why not?": ExplainMatch for any opening by id — eligible or not, every
// component and reason, and each hard rule that excludes it in plain words.
import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { apiLanguage, t } from '../../i18n';
import type { OpeningIndex } from '../../openings';
import type { Reference } from '../../reference';
import type { Match } from '../../types';
import { OpeningMatch, openingTitle } from './OpeningMatch';

interface Props {
  participantId: string;
  reference: Reference;
  openings: OpeningIndex;
  /** An opening to explain at once (chosen on the map or in a suggestion). */
  ask?: { openingId: string; at: number };
  version: number;
}

export function WhyNot({ participantId, reference, openings, ask, version }: Props) {
  const [openingId, setOpeningId] = useState('');
  const [match, setMatch] = useState<Match | undefined>();
  const [error, setError] = useState<unknown>();
  const [inputError, setInputError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const section = useRef<HTMLElement>(null);

  const explain = async (id: string) => {
    const wanted = id.trim().toUpperCase();
    setMatch(undefined);
    setError(undefined);
    if (!/^O\d{6}$/.test(wanted)) {
      setInputError(t('why.badId'));
      return;
    }
    setInputError(undefined);
    setBusy(true);
    try {
      setMatch(await call<Match>('CoachService', 'ExplainMatch', {
        participantId, openingId: wanted, language: apiLanguage(),
      }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!ask) return;
    setOpeningId(ask.openingId);
    void explain(ask.openingId);
    section.current?.scrollIntoView({ block: 'start' });
    document.getElementById('why-heading')?.focus();
  }, [ask?.at]);
  useEffect(() => {
    if (match?.openingId) void explain(match.openingId);
  }, [version]);

  return (
    <section class="panel" aria-labelledby="why-heading" ref={section}>
      <h2 id="why-heading" tabIndex={-1}>{t('why.title')}</h2>
      <p class="help">{t('why.intro')}</p>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); void explain(openingId); }}>
        <div class="field">
          <label for="why-opening">{t('why.openingId')}</label>
          <input id="why-opening" type="text" list="why-openings" value={openingId} autocomplete="off"
            aria-describedby={`why-help${inputError ? ' why-error' : ''}`} aria-invalid={inputError ? true : undefined}
            onInput={(e) => setOpeningId((e.target as HTMLInputElement).value)} />
          <datalist id="why-openings">
            {openings.all.map((o) => <option key={o.id} value={o.id}>{openingTitle(o, o.id)}</option>)}
          </datalist>
          <span id="why-help" class="help">{t('why.help')}</span>
          {inputError && <p id="why-error" class="error-text">{inputError}</p>}
        </div>
        <button type="submit" disabled={busy}>{t('why.submit')}</button>
      </form>
      {error !== undefined && <ErrorMessage error={error} />}
      <div aria-live="polite">
        {match && (
          <>
            <p class={match.eligible ? 'success' : 'error-text'}>{match.eligible ? t('match.eligible') : t('match.notEligible')}</p>
            <OpeningMatch match={match} opening={openings.get(match.openingId)} reference={reference} />
          </>
        )}
      </div>
    </section>
  );
}
