// The job coach's strings.
import { addStrings } from '../i18n';

addStrings({
  'coach.caseload.title': 'Mina deltagare',
  'coach.proposals.title': 'Förslag att besluta om',
  'coach.participant.title': 'Deltagare {id}',
}, {
  'coach.caseload.title': 'My participants',
  'coach.proposals.title': 'Proposals to decide',
  'coach.participant.title': 'Participant {id}',
});
