// Texts of the auditor's start page.

import { addStrings } from '../i18n';

addStrings({
  'auditor.start.title': 'Granskning av åtkomstloggen',
  'auditor.start.lead': 'Granskaren läser åtkomstloggen med kommandoradsverktyget: vem som läste eller ändrade vad om en deltagare, när, och vad som nekades. Konsolen har inga sidor för granskning ännu.',
}, {
  'auditor.start.title': 'Access-log review',
  'auditor.start.lead': 'The auditor reads the access log with the command-line tool: who read or changed what about a participant, when, and what was denied. The console has no review pages yet.',
});
