// The operator area's routes. A placeholder start page until the area's pages land.
import { addRoute } from '../../router';
import { Page } from '../../components/Page';
import { t } from '../../i18n';
import '../../strings/operator';

addRoute({
  pattern: '/operator',
  roles: ['operator'],
  titleKey: 'operator.start.title',
  nav: true,
  start: true,
  render: () => (
    <Page title={t('operator.start.title')}>
      <p>{t('operator.start.soon')}</p>
    </Page>
  ),
});
