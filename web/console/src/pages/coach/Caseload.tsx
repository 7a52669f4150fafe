// The coach's start page: their caseload, searchable (id or municipality
// name) and filterable by step, status and municipality.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import { formatNumber, lang, t } from '../../i18n';
import { municipalityName, useReference } from '../../reference';
import { href } from '../../router';
import { enumLabel, stepLabel } from '../../strings/enums';
import { PARTICIPANT_STATUSES, STEPS, type Participant } from '../../types';
import { listCaseload, listProposals } from './data';

export function Caseload() {
  const { reference, error: refError } = useReference();
  const [people, setPeople] = useState<Participant[] | undefined>();
  const [pending, setPending] = useState<Map<string, number>>(new Map());
  const [error, setError] = useState<unknown>();
  const [query, setQuery] = useState('');
  const [step, setStep] = useState('');
  const [status, setStatus] = useState('');
  const [municipality, setMunicipality] = useState('');

  const load = () => {
    setError(undefined);
    listCaseload().then(setPeople, setError);
    // How many proposals wait for a decision, per participant (a hint, not needed to work).
    listProposals(['PROPOSAL_STATE_PENDING']).then((list) => {
      const counts = new Map<string, number>();
      for (const p of list) counts.set(p.participantId ?? '', (counts.get(p.participantId ?? '') ?? 0) + 1);
      setPending(counts);
    }, () => undefined);
  };
  useEffect(load, []);

  const municipalities = useMemo(() => {
    const codes = [...new Set((people ?? []).map((p) => p.home?.municipalityCode ?? '').filter(Boolean))];
    return codes
      .map((code) => ({ code, name: municipalityName(code, reference) }))
      .sort((a, b) => a.name.localeCompare(b.name, lang()));
  }, [people, reference, lang()]);

  const shown = useMemo(() => {
    const q = query.trim().toLocaleLowerCase(lang());
    return (people ?? []).filter((p) => {
      if (step !== '' && String(p.step ?? 0) !== step) return false;
      if (status !== '' && p.status !== status) return false;
      if (municipality !== '' && p.home?.municipalityCode !== municipality) return false;
      if (q) {
        const name = municipalityName(p.home?.municipalityCode, reference).toLocaleLowerCase(lang());
        if (!p.id.toLocaleLowerCase(lang()).includes(q) && !name.includes(q)) return false;
      }
      return true;
    });
  }, [people, reference, query, step, status, municipality]);

  const title = t('coach.caseload.title');
  if (error) return <Page title={title}><ErrorMessage error={error} onRetry={load} /></Page>;
  if (refError) return <Page title={title}><ErrorMessage error={refError} /></Page>;
  if (!people || !reference) return <Page title={title}><Loading /></Page>;

  return (
    <Page title={title}>
      <form class="filters" role="search" aria-label={t('coach.caseload.filters')} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="caseload-search">{t('coach.caseload.search')}</label>
          <input id="caseload-search" type="search" value={query} aria-describedby="caseload-search-help"
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
          <span id="caseload-search-help" class="help">{t('coach.caseload.searchHelp')}</span>
        </div>
        <div class="field">
          <label for="caseload-step">{t('coach.field.step')}</label>
          <select id="caseload-step" value={step} onChange={(e) => setStep((e.target as HTMLSelectElement).value)}>
            <option value="">{t('coach.caseload.any')}</option>
            {STEPS.map((s) => <option key={s} value={String(s)}>{stepLabel(s)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="caseload-status">{t('coach.field.status')}</label>
          <select id="caseload-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">{t('coach.caseload.any')}</option>
            {PARTICIPANT_STATUSES.map((s) => <option key={s} value={s}>{enumLabel(s)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="caseload-municipality">{t('coach.field.municipality')}</label>
          <select id="caseload-municipality" value={municipality}
            onChange={(e) => setMunicipality((e.target as HTMLSelectElement).value)}>
            <option value="">{t('coach.caseload.any')}</option>
            {municipalities.map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}
          </select>
        </div>
      </form>
      <p class="count" role="status" aria-live="polite">
        {t('coach.caseload.count', { shown: formatNumber(shown.length), total: formatNumber(people.length) })}
      </p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('coach.caseload.participant')}</th>
              <th scope="col">{t('coach.field.municipality')}</th>
              <th scope="col">{t('coach.field.step')}</th>
              <th scope="col">{t('coach.field.status')}</th>
              <th scope="col">{t('coach.field.travelMode')}</th>
              <th scope="col" class="num">{t('coach.caseload.maxMinutes')}</th>
              <th scope="col" class="num">{t('coach.caseload.pending')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id}>
                <th scope="row"><a href={href('coach', 'participant', p.id)}>{p.id}</a></th>
                <td>{municipalityName(p.home?.municipalityCode, reference)}</td>
                <td>{stepLabel(p.step)}</td>
                <td>{enumLabel(p.status)}</td>
                <td>{enumLabel(p.travelMode)}</td>
                <td class="num">{formatNumber(p.maxTravelMinutes ?? 0)}</td>
                <td class="num">{formatNumber(pending.get(p.id) ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p>{t('coach.caseload.none')}</p>}
    </Page>
  );
}
