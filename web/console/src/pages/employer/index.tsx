// The employer area's routes. A placeholder start page until the area's pages land.
import { addRoute } from '../../router';
import { Page } from '../../components/Page';
import { t } from '../../i18n';
import '../../strings/employer';

addRoute({
  pattern: '/employer',
  roles: ['employer_contact'],
  titleKey: 'employer.start.title',
  nav: true,
  start: true,
  render: () => (
    <Page title={t('employer.start.title')}>
      <p>{t('employer.start.soon')}</p>
    </Page>
  ),
});
