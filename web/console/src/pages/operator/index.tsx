// The operator area's routes: the runs (start one, list them) and one run
// (its live progress and its report).
import { addRoute } from '../../router';
import '../../strings/operator';
import { RunPage } from './run';
import { RunsPage } from './runs';

addRoute({
  pattern: '/operator',
  roles: ['operator'],
  titleKey: 'operator.nav.runs',
  nav: true,
  start: true,
  render: () => <RunsPage />,
});
addRoute({
  pattern: '/operator/run/:id',
  roles: ['operator'],
  titleKey: 'operator.nav.runs',
  render: (params) => <RunPage id={params.id} />,
});
