// The job coach's routes: caseload (start page), a participant, the proposal inbox.
import { addRoute } from '../../router';
import '../../strings/coach';
import { Caseload } from './Caseload';
import { ParticipantPage } from './ParticipantPage';
import { Proposals } from './Proposals';

addRoute({
  pattern: '/coach',
  roles: ['coach'],
  titleKey: 'coach.caseload.title',
  nav: true,
  start: true,
  render: () => <Caseload />,
});
addRoute({
  pattern: '/coach/proposals',
  roles: ['coach'],
  titleKey: 'coach.proposals.title',
  nav: true,
  render: () => <Proposals />,
});
addRoute({
  pattern: '/coach/participant/:id',
  roles: ['coach'],
  titleKey: 'coach.participant.title',
  render: (params) => <ParticipantPage id={params.id} />,
});
