// The admin area's routes. A placeholder start page until the area's pages land.
import { addRoute } from '../../router';
import { Page } from '../../components/Page';
import { t } from '../../i18n';
import '../../strings/admin';

addRoute({
  pattern: '/admin',
  roles: ['admin'],
  titleKey: 'admin.start.title',
  nav: true,
  start: true,
  render: () => (
    <Page title={t('admin.start.title')}>
      <p>{t('admin.start.soon')}</p>
    </Page>
  ),
});
