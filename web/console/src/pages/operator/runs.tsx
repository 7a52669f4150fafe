// The operator's start page: start a re-match run (a dry run too) and list
// runs. The list comes from RematchService.ListRuns; on a server without
// it, the list is the runs started from this page.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../../api';
import { formatInstant, t } from '../../i18n';
import { href, navigate } from '../../router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FormErrorSummary, type SummaryError } from '../../components/form-error-summary';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import { rememberRun, rememberedRuns, type ApiRun } from './run-model';

interface ListRunsResponse {
  runs?: ApiRun[];
  nextPageToken?: string;
}

function StartRunForm() {
  const [k, setK] = useState('');
  const [seed, setSeed] = useState('0');
  const [bonus, setBonus] = useState('');
  const [dryRun, setDryRun] = useState(true);
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const problems: SummaryError[] = [];
    const kValue = k.trim() === '' ? 0 : Number(k);
    if (!Number.isInteger(kValue) || kValue < 0 || kValue > 500 || (k.trim() !== '' && kValue === 0)) {
      problems.push({ fieldId: 'run-k', message: t('operator.start.errK') });
    }
    if (!/^\d{1,19}$/.test(seed.trim())) {
      problems.push({ fieldId: 'run-seed', message: t('operator.start.errSeed') });
    }
    const bonusValue = bonus.trim() === '' ? undefined : Number(bonus.replace(',', '.'));
    if (bonusValue !== undefined && (!Number.isFinite(bonusValue) || bonusValue < 0 || bonusValue > 1)) {
      problems.push({ fieldId: 'run-bonus', message: t('operator.start.errBonus') });
    }
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    try {
      const body: Record<string, unknown> = {
        candidatesPerParticipant: kValue,
        seed: seed.trim(),
        dryRun,
      };
      if (bonusValue !== undefined) body.continuityBonus = bonusValue;
      const run = await call<ApiRun>('RematchService', 'StartRun', body);
      rememberRun(run);
      navigate(`/operator/run/${encodeURIComponent(run.runId ?? '')}`);
    } catch (e) {
      setErrors([{ fieldId: '', message: e instanceof ApiError ? e.message : String(e) }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="start-run-heading" class="panel">
      <h2 id="start-run-heading">{t('operator.start.heading')}</h2>
      <form onSubmit={submit} noValidate data-testid="start-run-form">
        <FormErrorSummary title={t('operator.start.errors')} errors={errors} />
        <div class="field">
          <label for="run-k">{t('operator.start.k')}</label>
          <p class="help" id="run-k-hint">{t('operator.start.kHint')}</p>
          <input id="run-k" type="text" inputMode="numeric" class="input-short" aria-describedby="run-k-hint"
            value={k} onInput={(e) => setK((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="run-seed">{t('operator.start.seed')}</label>
          <p class="help" id="run-seed-hint">{t('operator.start.seedHint')}</p>
          <input id="run-seed" type="text" inputMode="numeric" class="input-short" aria-describedby="run-seed-hint"
            value={seed} onInput={(e) => setSeed((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="run-bonus">{t('operator.start.bonus')}</label>
          <p class="help" id="run-bonus-hint">{t('operator.start.bonusHint')}</p>
          <input id="run-bonus" type="text" inputMode="decimal" class="input-short" aria-describedby="run-bonus-hint"
            value={bonus} onInput={(e) => setBonus((e.target as HTMLInputElement).value)} />
        </div>
        <label class="check">
          <input id="run-dry" type="checkbox" checked={dryRun}
            onChange={(e) => setDryRun((e.target as HTMLInputElement).checked)} />
          {t('operator.start.dryRun')}
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('operator.start.starting') : t('operator.start.submit')}
        </button>
      </form>
    </section>
  );
}

function RunList() {
  const [runs, setRuns] = useState<ApiRun[] | undefined>();
  const [sessionOnly, setSessionOnly] = useState(false);
  const [nextToken, setNextToken] = useState('');
  const [error, setError] = useState<unknown>();

  const load = async (token: string) => {
    setError(undefined);
    try {
      const response = await call<ListRunsResponse>('RematchService', 'ListRuns', { page: { pageSize: 20, pageToken: token } });
      setRuns((before) => [...(token && before ? before : []), ...(response.runs ?? [])]);
      setNextToken(response.nextPageToken ?? '');
    } catch (e) {
      // A server or gateway without ListRuns: show this page's own runs.
      if (e instanceof ApiError && (e.code === 'not_found' || e.code === 'unimplemented')) {
        setSessionOnly(true);
        setRuns(rememberedRuns());
      } else {
        setError(e);
      }
    }
  };
  useEffect(() => void load(''), []);

  return (
    <section aria-labelledby="run-list-heading">
      <h2 id="run-list-heading">{t('operator.list.heading')}</h2>
      {sessionOnly && <p class="help">{t('operator.list.sessionOnly')}</p>}
      {error !== undefined && <ErrorMessage error={error} onRetry={() => void load('')} />}
      {runs === undefined && error === undefined && <Loading />}
      {runs && runs.length === 0 && <p>{t('operator.list.none')}</p>}
      {runs && runs.length > 0 && (
        <div class="table-wrap">
          <table class="data-table" data-testid="run-list">
            <caption class="visually-hidden">{t('operator.list.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('operator.list.colRun')}</th>
                <th scope="col">{t('operator.list.colCreated')}</th>
                <th scope="col">{t('operator.list.colState')}</th>
                <th scope="col">{t('operator.list.colKind')}</th>
                <th scope="col">{t('operator.list.colBy')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.runId} data-run-id={r.runId}>
                  <th scope="row"><a href={href('operator', 'run', r.runId ?? '')}>{r.runId}</a></th>
                  <td>{formatInstant(r.createdAt)}</td>
                  <td>{t(`operator.state.${r.state ?? 'RUN_STATE_UNSPECIFIED'}`)}</td>
                  <td>{r.parameters?.dryRun ? t('operator.list.dry') : t('operator.list.real')}</td>
                  <td>{r.requestedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextToken && (
        <button type="button" onClick={() => void load(nextToken)}>{t('operator.list.more')}</button>
      )}
    </section>
  );
}

export function RunsPage() {
  return (
    <Page title={t('operator.runs.title')}>
      <p class="lead">{t('operator.runs.lead')}</p>
      <StartRunForm />
      <RunList />
    </Page>
  );
}
