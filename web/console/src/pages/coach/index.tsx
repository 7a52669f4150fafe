// The job coach's routes: caseload (start page), a participant, the proposal inbox.
import { addRoute } from '../../router';
import { Page } from '../../components/Page';
import { t } from '../../i18n';
import '../../strings/coach';

addRoute({
  pattern: '/coach',
  roles: ['coach'],
  titleKey: 'coach.caseload.title',
  nav: true,
  start: true,
  render: () => <Page title={t('coach.caseload.title')} />,
});
addRoute({
  pattern: '/coach/proposals',
  roles: ['coach'],
  titleKey: 'coach.proposals.title',
  nav: true,
  render: () => <Page title={t('coach.proposals.title')} />,
});
addRoute({
  pattern: '/coach/participant/:id',
  roles: ['coach'],
  titleKey: 'coach.participant.title',
  render: (params) => <Page title={t('coach.participant.title', { id: params.id })} />,
});
