// One run: its progress followed live (server-sent events from
// /api/runs/<id>/progress), a cancel button while it runs, and its report
// once it has succeeded.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, watchRun } from '../../api';
import { formatNumber, t } from '../../i18n';
import { href } from '../../router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import { RunReportView } from './report';
import {
  durationSeconds,
  kTerminalStates,
  rememberState,
  type ApiRun,
  type RunProgress,
  type RunReport,
} from './run-model';

export function RunPage({ id }: { id: string }) {
  const [progress, setProgress] = useState<RunProgress | undefined>();
  const [streamError, setStreamError] = useState<ApiError | undefined>();
  const [report, setReport] = useState<RunReport | undefined>();
  const [reportError, setReportError] = useState<unknown>();
  const [cancelError, setCancelError] = useState<unknown>();
  const [cancelNote, setCancelNote] = useState('');
  const [watching, setWatching] = useState(0);
  const last = useRef<RunProgress | undefined>();

  useEffect(() => {
    setStreamError(undefined);
    const watch = watchRun<RunProgress>(id, (p) => {
      last.current = p;
      setProgress(p);
      rememberState(id, p.state);
    });
    watch.done.then(
      () => {
        if (last.current?.state === 'RUN_STATE_SUCCEEDED') {
          call<RunReport>('RematchService', 'GetRunReport', { runId: id }).then(setReport, setReportError);
        }
      },
      (e: ApiError) => setStreamError(e),
    );
    return () => watch.close();
  }, [id, watching]);

  const state = progress?.state ?? 'RUN_STATE_UNSPECIFIED';
  const phase = progress?.phase ?? 'RUN_PHASE_UNSPECIFIED';
  const percent = Math.round(progress?.percent ?? 0);
  const running = progress !== undefined && !kTerminalStates.includes(state);

  const cancel = async () => {
    setCancelError(undefined);
    try {
      await call<ApiRun>('RematchService', 'CancelRun', { runId: id });
      setCancelNote(t('operator.run.cancelled'));
    } catch (e) {
      setCancelError(e);
    }
  };

  return (
    <Page title={t('operator.run.title', { id })}>
      <p><a href={href('operator')}>{t('operator.run.back')}</a></p>
      <section aria-labelledby="run-progress-heading" class="panel">
        <h2 id="run-progress-heading">{t('operator.run.progress')}</h2>
        {progress === undefined && streamError === undefined && <Loading />}
        {progress !== undefined && (
          <>
            {/* Only state and phase changes are announced, not every percent. */}
            <p role="status" aria-live="polite" data-testid="run-state" data-state={state}>
              {t('operator.run.state', { state: t(`operator.state.${state}`) })} ·{' '}
              {t('operator.run.phase', { phase: t(`operator.phase.${phase}`) })}
            </p>
            <div class="progress-row">
              <label for="run-progress">{t('operator.run.progressLabel')}</label>
              <progress id="run-progress" max={100} value={percent}>
                {t('operator.run.percent', { percent })}
              </progress>
              <span aria-hidden="true">{t('operator.run.percent', { percent: formatNumber(percent) })}</span>
            </div>
            <p class="help">
              {t('operator.run.elapsed', { seconds: formatNumber(durationSeconds(progress.elapsed), 1) })}
            </p>
          </>
        )}
        {streamError && (
          <div class="error" role="alert">
            <p>{t('operator.run.streamError', { message: streamError.message })}</p>
            <button type="button" onClick={() => setWatching((n) => n + 1)}>{t('operator.run.watchAgain')}</button>
          </div>
        )}
        {running && (
          <button type="button" class="danger" onClick={() => void cancel()}>{t('operator.run.cancel')}</button>
        )}
        {cancelNote && <p role="status">{cancelNote}</p>}
        {cancelError !== undefined && <ErrorMessage error={cancelError} />}
      </section>
      {reportError !== undefined && <ErrorMessage error={reportError} />}
      {report && <RunReportView report={report} />}
      {progress !== undefined && kTerminalStates.includes(state) && state !== 'RUN_STATE_SUCCEEDED' && (
        <p>{t('operator.run.noReport')}</p>
      )}
    </Page>
  );
}
