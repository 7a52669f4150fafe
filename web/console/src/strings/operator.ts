// The operator area's strings.
import { addStrings } from '../i18n';

addStrings({
  'operator.start.title': 'Körningar',
  'operator.start.soon': 'Här startar och följer du matchningskörningar.',
}, {
  'operator.start.title': 'Runs',
  'operator.start.soon': 'Start and follow re-match runs here.',
});
