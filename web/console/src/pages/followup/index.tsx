// The follow-up area's routes, for operators and admins: the follow-up
// report by gender and the decision funnel per group.
import { addRoute } from '../../router';
import '../../strings/followup';
import { DecisionFunnelPage } from './funnel';
import { FollowUpReportPage } from './report';

addRoute({
  pattern: '/followup',
  roles: ['operator', 'admin'],
  titleKey: 'followup.nav.report',
  nav: true,
  render: () => <FollowUpReportPage />,
});
addRoute({
  pattern: '/followup/funnel',
  roles: ['operator', 'admin'],
  titleKey: 'followup.nav.funnel',
  nav: true,
  render: () => <DecisionFunnelPage />,
});
