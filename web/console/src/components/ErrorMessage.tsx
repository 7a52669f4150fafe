// An error in plain words, with the server's one-line technical message
// folded away beneath it for whoever calls support.
import { ApiError } from '../api';
import { hasText, t } from '../i18n';

/** The plain-language sentence for an error (any thrown value). */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    return hasText(key) ? t(key) : t('error.unknown');
  }
  return t('error.unknown');
}

/** The technical message, if any. */
export function errorDetail(error: unknown): string {
  if (error instanceof ApiError) return error.message ? `${error.code}: ${error.message}` : error.code;
  if (error instanceof Error) return error.message;
  return String(error);
}

interface Props {
  error: unknown;
  /** A sentence that replaces the generic one, e.g. for a permission error on a page. */
  text?: string;
  onRetry?: () => void;
}

export function ErrorMessage({ error, text, onRetry }: Props) {
  const detail = errorDetail(error);
  return (
    <div class="error" role="alert">
      <p class="error-text">{text ?? errorText(error)}</p>
      {detail && (
        <details class="error-details">
          <summary>{t('error.details')}</summary>
          <p>{detail}</p>
        </details>
      )}
      {onRetry && <button type="button" onClick={onRetry}>{t('error.retry')}</button>}
    </div>
  );
}
