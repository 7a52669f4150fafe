// Calls the coach's pages share.
import { call } from '../../api';
import type { Participant, Proposal, ProposalState } from '../../types';

/** The caller's whole caseload (every page of ListParticipants). */
export async function listCaseload(): Promise<Participant[]> {
  const all: Participant[] = [];
  let pageToken = '';
  do {
    const page = await call<{ participants?: Participant[]; nextPageToken?: string }>(
      'ParticipantRegistry', 'ListParticipants', { page: { pageSize: 500, pageToken } });
    all.push(...(page.participants ?? []));
    pageToken = page.nextPageToken ?? '';
  } while (pageToken);
  return all;
}

/** Proposals of the caseload (or one participant), every page. */
export async function listProposals(states: ProposalState[], participantId = ''): Promise<Proposal[]> {
  const all: Proposal[] = [];
  let pageToken = '';
  do {
    const page = await call<{ proposals?: Proposal[]; nextPageToken?: string }>(
      'CoachService', 'ListProposals', { participantId, states, page: { pageSize: 500, pageToken } });
    all.push(...(page.proposals ?? []));
    pageToken = page.nextPageToken ?? '';
  } while (pageToken);
  return all;
}
