// The proposal inbox: proposals from the overnight run for the caseload, with
// the full reasons shown before accept or reject.
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import { formatNumber, t } from '../../i18n';
import { loadOpenings, type OpeningIndex } from '../../openings';
import { useReference } from '../../reference';
import { enumLabel } from '../../strings/enums';
import { PROPOSAL_STATES, type Proposal, type ProposalState } from '../../types';
import { listProposals } from './data';

import { ProposalCard } from './ProposalCard';

export function Proposals() {
  const { reference, error: refError } = useReference();
  const [state, setState] = useState<ProposalState | ''>('PROPOSAL_STATE_PENDING');
  const [proposals, setProposals] = useState<Proposal[] | undefined>();
  const [openings, setOpenings] = useState<OpeningIndex | undefined>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string | undefined>();

  const load = () => {
    setError(undefined);
    setProposals(undefined);
    Promise.all([listProposals(state ? [state] : []), loadOpenings()]).then(([p, o]) => {
      setProposals(p);
      setOpenings(o);
    }, setError);
  };
  useEffect(load, [state]);

  const title = t('coach.proposals.title');
  const decided = (updated: Proposal) => {
    setProposals((list) => (list ?? []).map((p) => (p.proposalId === updated.proposalId ? updated : p)));
    setNotice(t(updated.state === 'PROPOSAL_STATE_ACCEPTED' ? 'proposal.acceptedNotice' : 'proposal.rejectedNotice',
      { participant: updated.participantId ?? '', opening: openings?.get(updated.openingId)?.title ?? updated.openingId ?? '' }));
  };

  return (
    <Page title={title}>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="proposal-state">{t('proposal.stateFilter')}</label>
          <select id="proposal-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value as ProposalState | '')}>
            <option value="">{t('proposal.allStates')}</option>
            {PROPOSAL_STATES.map((s) => <option key={s} value={s}>{enumLabel(s)}</option>)}
          </select>
        </div>
      </form>
      <p role="status" class={notice ? 'success' : 'visually-hidden'}>{notice ?? ''}</p>
      {error !== undefined && <ErrorMessage error={error} onRetry={load} />}
      {refError !== undefined && <ErrorMessage error={refError} />}
      {error === undefined && (!proposals || !reference || !openings) && <Loading />}
      {proposals && reference && openings && (
        <>
          <p class="count">{t('proposal.count', { count: formatNumber(proposals.length) })}</p>
          {proposals.length === 0 && <p>{t('proposal.none')}</p>}
          <ul class="match-list">
            {proposals.map((p) => (
              <ProposalCard key={p.proposalId} proposal={p} opening={openings.get(p.openingId)} reference={reference}
                linkParticipant onDecided={decided} />
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
