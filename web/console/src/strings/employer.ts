// The employer-contact area's strings.
import { addStrings } from '../i18n';

addStrings({
  'employer.start.title': 'Platser',
  'employer.start.soon': 'Här visas dina platser.',
}, {
  'employer.start.title': 'Openings',
  'employer.start.soon': 'Your openings are shown here.',
});
