// The employer-contact area's routes: the openings, a new opening, one
// opening (its form and life cycle), its candidates, and supply gaps.
import { addRoute } from '../../router';
import '../../strings/employer';
import { CandidatesPage } from './candidates';
import { EditOpeningPage, NewOpeningPage } from './opening-form';
import { OpeningsPage } from './openings';
import { SupplyGapsPage } from './supply-gaps';

addRoute({
  pattern: '/employer',
  roles: ['employer_contact'],
  titleKey: 'employer.nav.openings',
  nav: true,
  start: true,
  render: () => <OpeningsPage />,
});
addRoute({
  pattern: '/employer/new',
  roles: ['employer_contact'],
  titleKey: 'employer.nav.new',
  nav: true,
  render: () => <NewOpeningPage />,
});
addRoute({
  pattern: '/employer/gaps',
  roles: ['employer_contact'],
  titleKey: 'employer.nav.gaps',
  nav: true,
  render: () => <SupplyGapsPage />,
});
addRoute({
  pattern: '/employer/opening/:id',
  roles: ['employer_contact'],
  titleKey: 'employer.nav.openings',
  render: (params) => <EditOpeningPage id={params.id} />,
});
addRoute({
  pattern: '/employer/opening/:id/candidates',
  roles: ['employer_contact'],
  titleKey: 'employer.nav.openings',
  render: (params) => <CandidatesPage id={params.id} />,
});
