// The admin's page: import a CSV file (AdminService.ImportData; the file's
// bytes travel base64-encoded, as proto JSON writes `bytes`) and read the
// rejected rows as a table; export either table (GET /api/export).

import { useState } from 'preact/hooks';
import { ApiError, call } from '../../api';
import { formatNumber, t } from '../../i18n';
import { FormErrorSummary, type SummaryError } from '../../components/form-error-summary';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Page } from '../../components/Page';

interface RowError {
  file?: string;
  line?: number;
  field?: string;
  value?: string;
  reason?: string;
}

interface ImportReport {
  rowsRead?: number;
  rowsInserted?: number;
  rowsUpdated?: number;
  rowsRejected?: number;
  errors?: RowError[];
  errorsTruncated?: boolean;
  dryRun?: boolean;
  snapshotVersion?: string;
}

// The most the server takes (ImportRequest.content: 1 byte..16 MiB); the
// gateway lets an ImportData body of that size through (--max_import_body_bytes).
const kMaxBytes = 16 * 1024 * 1024;
const kMiB = 1024 * 1024;

/** Standard base64 of the bytes, as proto JSON expects for a bytes field. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

function ImportForm() {
  const [kind, setKind] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [dryRun, setDryRun] = useState(false);
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [other, setOther] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ file: string; report: ImportReport } | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    const problems: SummaryError[] = [];
    if (!kind) problems.push({ fieldId: 'import-kind-participants', message: t('admin.import.errKind') });
    if (!file) problems.push({ fieldId: 'import-file', message: t('admin.import.errFile') });
    else if (file.size > kMaxBytes) {
      // Said before anything is sent: reading and sending a file the server
      // refuses would only take time.
      problems.push({
        fieldId: 'import-file',
        message: t('admin.import.errSize', {
          name: file.name,
          size: formatNumber(Math.max(16.1, Math.floor((file.size / kMiB) * 10) / 10), 1),
          max: formatNumber(kMaxBytes / kMiB),
        }),
      });
    } else if (file.size === 0) {
      problems.push({ fieldId: 'import-file', message: t('admin.import.errEmpty', { name: file.name }) });
    }
    setErrors(problems);
    setOther(undefined);
    if (problems.length || !file) return;
    setBusy(true);
    try {
      const content = base64(new Uint8Array(await file.arrayBuffer()));
      const report = await call<ImportReport>('AdminService', 'ImportData', {
        kind,
        fileName: file.name,
        content,
        dryRun,
      });
      setResult({ file: file.name, report });
    } catch (e) {
      setResult(undefined);
      if (e instanceof ApiError && (e.code === 'invalid_argument' || e.code === 'resource_exhausted')) {
        // A missing column, or a file too large for the server or the gateway.
        setErrors([{ fieldId: 'import-file', message: t('admin.import.refused', { message: e.message }) }]);
      } else {
        setOther(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const errorOf = (id: string) => errors.filter((e) => e.fieldId === id).map((e) => e.message).join(' ');

  return (
    <section aria-labelledby="import-heading" class="panel">
      <h2 id="import-heading">{t('admin.import.heading')}</h2>
      <form onSubmit={submit} noValidate data-testid="import-form">
        <FormErrorSummary title={t('admin.import.errors')} errors={errors} />
        {other !== undefined && <ErrorMessage error={other} />}
        <fieldset class={errorOf('import-kind-participants') ? 'has-error' : ''}>
          <legend>{t('admin.import.kind')}</legend>
          {errorOf('import-kind-participants') && (
            <p class="field-error">{errorOf('import-kind-participants')}</p>
          )}
          <label class="radio">
            <input id="import-kind-participants" type="radio" name="kind" value="DATA_KIND_PARTICIPANTS"
              checked={kind === 'DATA_KIND_PARTICIPANTS'} onChange={() => setKind('DATA_KIND_PARTICIPANTS')} />
            {t('admin.import.kindParticipants')}
          </label>
          <label class="radio">
            <input id="import-kind-openings" type="radio" name="kind" value="DATA_KIND_OPENINGS"
              checked={kind === 'DATA_KIND_OPENINGS'} onChange={() => setKind('DATA_KIND_OPENINGS')} />
            {t('admin.import.kindOpenings')}
          </label>
        </fieldset>
        <div class={`field${errorOf('import-file') ? ' has-error' : ''}`}>
          <label for="import-file">{t('admin.import.file')}</label>
          <p class="help" id="import-file-hint">{t('admin.import.fileHint')}</p>
          {errorOf('import-file') && <p class="field-error" id="import-file-error">{errorOf('import-file')}</p>}
          <input id="import-file" type="file" accept=".csv,text/csv"
            aria-describedby={`import-file-hint${errorOf('import-file') ? ' import-file-error' : ''}`}
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])} />
        </div>
        <label class="check">
          <input id="import-dry" type="checkbox" checked={dryRun}
            onChange={(e) => setDryRun((e.target as HTMLInputElement).checked)} />
          {t('admin.import.dryRun')}
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('admin.import.busy') : t('admin.import.submit')}
        </button>
      </form>
      {result && <ImportResult file={result.file} report={result.report} />}
    </section>
  );
}

function ImportResult({ file, report }: { file: string; report: ImportReport }) {
  const rows = report.errors ?? [];
  return (
    <section aria-labelledby="import-result-heading" class="import-result" data-testid="import-result">
      <h3 id="import-result-heading">{t('admin.report.heading', { file })}</h3>
      <p role="status" class="visually-hidden">{t('admin.report.heading', { file })}</p>
      <p>{report.dryRun ? t('admin.report.dry') : t('admin.report.saved', { version: report.snapshotVersion ?? '' })}</p>
      <dl class="facts">
        <div><dt>{t('admin.report.read')}</dt><dd data-testid="rows-read">{formatNumber(report.rowsRead ?? 0)}</dd></div>
        <div><dt>{t('admin.report.inserted')}</dt><dd data-testid="rows-inserted">{formatNumber(report.rowsInserted ?? 0)}</dd></div>
        <div><dt>{t('admin.report.updated')}</dt><dd data-testid="rows-updated">{formatNumber(report.rowsUpdated ?? 0)}</dd></div>
        <div><dt>{t('admin.report.rejected')}</dt><dd data-testid="rows-rejected">{formatNumber(report.rowsRejected ?? 0)}</dd></div>
      </dl>
      {rows.length === 0 ? (
        <p>{t('admin.report.noErrors')}</p>
      ) : (
        <div class="table-wrap">
          <table class="data-table" data-testid="row-errors">
            <caption>{t('admin.report.rowErrors')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.report.colLine')}</th>
                <th scope="col">{t('admin.report.colField')}</th>
                <th scope="col">{t('admin.report.colValue')}</th>
                <th scope="col">{t('admin.report.colReason')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <th scope="row">{formatNumber(r.line ?? 0)}</th>
                  <td>{r.field || t('admin.report.wholeRow')}</td>
                  <td><code>{r.value}</code></td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.errorsTruncated && <p>{t('admin.report.truncated')}</p>}
    </section>
  );
}

export function DataPage() {
  return (
    <Page title={t('admin.data.title')}>
      <p class="lead">{t('admin.data.lead')}</p>
      <ImportForm />
      <section aria-labelledby="export-heading" class="panel">
        <h2 id="export-heading">{t('admin.export.heading')}</h2>
        <p>{t('admin.export.lead')}</p>
        <p class="warning-text">{t('admin.export.warning')}</p>
        <ul class="link-list">
          <li><a href="/api/export?kind=participants" download="participants.csv">{t('admin.export.participants')}</a></li>
          <li><a href="/api/export?kind=openings" download="openings.csv">{t('admin.export.openings')}</a></li>
        </ul>
      </section>
    </Page>
  );
}
