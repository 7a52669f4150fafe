// Who could fit an opening (EmployerService.SuggestCandidates): the best
// eligible participants, each with their coach, score, travel estimate and
// the reasons the API gives employer contacts. Nothing about support needs
// is shown or asked for: the SUPPORT part of the score is left out of the
// bars, and the page never loads the need catalogue.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../../api';
import { formatNumber, localized, t } from '../../i18n';
import { href } from '../../router';
import { enumLabel } from '../../strings/enums';
import type { Candidate } from '../../types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FormErrorSummary, type SummaryError } from '../../components/form-error-summary';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import { municipalitiesByName, usePublicCodes } from '../../components/public-codes';
import type { Opening } from '../../types';

interface SuggestCandidatesResponse {
  candidates?: Candidate[];
  snapshotVersion?: string;
  profileName?: string;
}

// The parts of a score an employer contact reads about.
const kShownComponents = [
  'SCORE_COMPONENT_SKILLS',
  'SCORE_COMPONENT_STEP',
  'SCORE_COMPONENT_TRAVEL',
  'SCORE_COMPONENT_PREFERENCE',
];

function percent(value: number | undefined): string {
  return formatNumber(Math.round((value ?? 0) * 100));
}

function ScoreParts({ candidate }: { candidate: Candidate }) {
  const parts = (candidate.components ?? []).filter((c) => kShownComponents.includes(c.component ?? ''));
  return (
    <dl class="score-parts">
      {parts.map((c) => (
        <div key={c.component} class="score-part">
          <dt>{enumLabel(c.component)}</dt>
          <dd>
            <svg class="score-bar" viewBox="0 0 100 10" aria-hidden="true" focusable="false"
              preserveAspectRatio="none">
              <rect class="score-bar-track" x="0" y="0" width="100" height="10" />
              <rect class="score-bar-fill" x="0" y="0" width={Math.max(0, Math.min(100, (c.value ?? 0) * 100))} height="10" />
            </svg>
            <span class="score-part-value">{percent(c.value)}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function CandidatesPage({ id }: { id: string }) {
  const { codes } = usePublicCodes();
  const [opening, setOpening] = useState<Opening | undefined>();
  const [k, setK] = useState('10');
  const [maxTravel, setMaxTravel] = useState('');
  const [municipality, setMunicipality] = useState('');
  const [result, setResult] = useState<SuggestCandidatesResponse | undefined>();
  const [error, setError] = useState<unknown>();
  const [formErrors, setFormErrors] = useState<SummaryError[]>([]);
  const [busy, setBusy] = useState(false);

  const search = async (kText: string, travelText: string, municipalityCode: string) => {
    const problems: SummaryError[] = [];
    const kValue = Number(kText);
    if (!Number.isInteger(kValue) || kValue < 1 || kValue > 100) {
      problems.push({ fieldId: 'candidates-k', message: t('employer.form.errNumber', { field: t('employer.candidates.count'), min: 1, max: 100 }) });
    }
    const travel = travelText.trim() === '' ? 0 : Number(travelText);
    if (!Number.isInteger(travel) || travel < 0 || travel > 240) {
      problems.push({ fieldId: 'candidates-travel', message: t('employer.form.errNumber', { field: t('employer.candidates.maxTravel'), min: 0, max: 240 }) });
    }
    setFormErrors(problems);
    if (problems.length) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult(
        await call<SuggestCandidatesResponse>('EmployerService', 'SuggestCandidates', {
          openingId: id,
          k: kValue,
          filters: {
            maxTravelMinutes: travel,
            municipalityCodes: municipalityCode ? [municipalityCode] : [],
          },
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    call<Opening>('EmployerService', 'GetOpening', { openingId: id }).then(setOpening, setError);
    void search('10', '', '');
  }, [id]);

  const title = opening?.title ?? id;
  const candidates = result?.candidates ?? [];

  return (
    <Page title={t('employer.candidates.title', { title })}>
      <p><a href={href('employer', 'opening', id)}>{t('employer.candidates.back')}</a></p>
      <p class="lead">{t('employer.candidates.lead')}</p>
      <form
        class="filters"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void search(k, maxTravel, municipality);
        }}
      >
        <FormErrorSummary title={t('employer.form.errorSummary')} errors={formErrors} />
        <div class="field">
          <label for="candidates-k">{t('employer.candidates.count')}</label>
          <input id="candidates-k" type="text" inputMode="numeric" class="input-short" value={k}
            onInput={(e) => setK((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="candidates-travel">{t('employer.candidates.maxTravel')}</label>
          <p class="help" id="candidates-travel-hint">{t('employer.candidates.maxTravelHint')}</p>
          <input id="candidates-travel" type="text" inputMode="numeric" class="input-short"
            aria-describedby="candidates-travel-hint" value={maxTravel}
            onInput={(e) => setMaxTravel((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="candidates-municipality">{t('employer.candidates.municipality')}</label>
          <select id="candidates-municipality" value={municipality}
            onChange={(e) => setMunicipality((e.target as HTMLSelectElement).value)}>
            <option value="">{t('employer.openings.allMunicipalities')}</option>
            {codes && municipalitiesByName(codes).map((m) => (
              <option key={m.code} value={m.code}>{localized(m.label)}</option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary" disabled={busy}>{t('employer.candidates.search')}</button>
      </form>

      {error !== undefined && <ErrorMessage error={error} />}
      {busy && <Loading text={t('employer.candidates.loading')} />}
      {result && !busy && (
        <section aria-labelledby="candidates-heading">
          <h2 id="candidates-heading">
            {t('employer.candidates.found', { n: formatNumber(candidates.length) })}
          </h2>
          <p role="status" class="visually-hidden">
            {t('employer.candidates.found', { n: formatNumber(candidates.length) })}
          </p>
          {candidates.length === 0 ? (
            <p>{t('employer.candidates.none')}</p>
          ) : (
            <ol class="candidate-list" data-testid="candidate-list">
              {candidates.map((c) => (
                <li key={c.participantId} class="candidate" data-participant-id={c.participantId}>
                  <h3>{t('employer.candidates.participant', { id: c.participantId ?? '' })}</h3>
                  <p class="candidate-score">
                    <strong>{t('employer.candidates.score', { score: percent(c.score) })}</strong>
                  </p>
                  <dl class="candidate-facts">
                    <div>
                      <dt>{t('employer.candidates.coach')}</dt>
                      <dd>{c.coachId}</dd>
                    </div>
                    <div>
                      <dt>{t('employer.candidates.travel')}</dt>
                      <dd>
                        {t('employer.candidates.travelValue', {
                          minutes: formatNumber(c.travel?.minutes ?? 0),
                          mode: enumLabel(c.travel?.mode).toLocaleLowerCase(),
                          km: formatNumber(c.travel?.distanceKm ?? 0, 1),
                        })}
                      </dd>
                    </div>
                  </dl>
                  <h4>{t('employer.candidates.parts')}</h4>
                  <ScoreParts candidate={c} />
                  {(c.reasons ?? []).length > 0 && (
                    <>
                      <h4>{t('employer.candidates.reasons')}</h4>
                      <ul class="reasons">
                        {(c.reasons ?? []).map((r, i) => (
                          <li key={i} class={`reason ${r.effect === 'REASON_EFFECT_NEGATIVE' ? 'negative' : r.effect === 'REASON_EFFECT_POSITIVE' ? 'positive' : 'neutral'}`}>
                            <span class="reason-effect">{enumLabel(r.effect)}:</span> {localized(r.text)}
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </li>
              ))}
            </ol>
          )}
          <p class="help">
            {t('employer.candidates.snapshot', { version: result.snapshotVersion ?? '', profile: result.profileName ?? '' })}
          </p>
        </section>
      )}
    </Page>
  );
}
