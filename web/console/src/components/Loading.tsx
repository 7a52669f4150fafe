import { t } from '../i18n';

/** A polite "loading" line for screen readers and sighted people alike. */
export function Loading({ text }: { text?: string }) {
  return <p class="loading" role="status">{text ?? t('app.loading')}</p>;
}
