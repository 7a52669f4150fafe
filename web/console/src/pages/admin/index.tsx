// The admin area's routes: import and export.
import { addRoute } from '../../router';
import '../../strings/admin';
import { DataPage } from './data';

addRoute({
  pattern: '/admin',
  roles: ['admin'],
  titleKey: 'admin.nav.data',
  nav: true,
  start: true,
  render: () => <DataPage />,
});
