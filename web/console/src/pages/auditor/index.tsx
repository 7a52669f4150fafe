// The auditor's start page. The auditor reviews the access log with the CLI
// (`placement audit log`); the console only says so, so that signing in as
// an auditor lands somewhere.
import { addRoute } from '../../router';
import { Page } from '../../components/Page';
import { t } from '../../i18n';
import '../../strings/auditor';

function AuditorStartPage() {
  return (
    <Page title={t('auditor.start.title')}>
      <p>{t('auditor.start.lead')}</p>
      <pre>
        <code>placement --token=… audit log --participant P0000012 --from 2026-01-01</code>
      </pre>
    </Page>
  );
}

addRoute({
  pattern: '/auditor',
  roles: ['auditor'],
  titleKey: 'auditor.start.title',
  nav: true,
  start: true,
  render: () => <AuditorStartPage />,
});
