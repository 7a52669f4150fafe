// The admin area's strings.
import { addStrings } from '../i18n';

addStrings({
  'admin.start.title': 'Import och export',
  'admin.start.soon': 'Här importerar och exporterar du data.',
}, {
  'admin.start.title': 'Import and export',
  'admin.start.soon': 'Import and export data here.',
});
