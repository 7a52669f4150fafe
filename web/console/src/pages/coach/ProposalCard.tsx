// A proposal from the overnight run: the full reasons first, then accept or
// reject (with a reason). The coach decides; the engine only proposed.
import { useState } from 'preact/hooks';
import { call } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatInstant, t } from '../../i18n';
import { forgetOpenings } from '../../openings';
import type { Reference } from '../../reference';
import { href } from '../../router';
import { enumLabel } from '../../strings/enums';
import type { Opening, Proposal } from '../../types';
import { OpeningMatch } from './OpeningMatch';

interface Props {
  proposal: Proposal;
  opening: Opening | undefined;
  reference: Reference;
  /** Show a link to the participant (in the inbox, not on their own page). */
  linkParticipant?: boolean;
  onDecided: (updated: Proposal) => void;
}

function badgeClass(state: string | undefined): string {
  switch (state) {
    case 'PROPOSAL_STATE_PENDING': return 'badge pending';
    case 'PROPOSAL_STATE_ACCEPTED': return 'badge accepted';
    case 'PROPOSAL_STATE_REJECTED': return 'badge rejected';
    default: return 'badge';
  }
}

export function ProposalCard({ proposal, opening, reference, linkParticipant, onDecided }: Props) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const id = proposal.proposalId ?? '';
  const pending = proposal.state === 'PROPOSAL_STATE_PENDING';

  const decide = async (decision: 'DECISION_ACCEPT' | 'DECISION_REJECT') => {
    if (decision === 'DECISION_REJECT') {
      const text = reason.trim();
      if (text.length === 0 || text.length > 500) {
        setReasonError(t(text.length === 0 ? 'proposal.reasonMissing' : 'proposal.reasonTooLong'));
        document.getElementById(`reject-reason-${id}`)?.focus();
        return;
      }
    }
    setBusy(true);
    setError(undefined);
    try {
      const updated = await call<Proposal>('CoachService', 'DecideProposal', {
        proposalId: id, decision, reason: decision === 'DECISION_REJECT' ? reason.trim() : '',
      });
      if (decision === 'DECISION_ACCEPT') forgetOpenings();
      setRejecting(false);
      onDecided(updated);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const match = proposal.match ?? { openingId: proposal.openingId, participantId: proposal.participantId };
  return (
    <li class="proposal" data-proposal-id={id}>
      <OpeningMatch match={match} opening={opening} reference={reference}>
        <p>
          <span class={badgeClass(proposal.state)}>{enumLabel(proposal.state ?? 'PROPOSAL_STATE_UNSPECIFIED')}</span>{' '}
          {linkParticipant && proposal.participantId && (
            <>
              {t('proposal.for')} <a href={href('coach', 'participant', proposal.participantId)}>{proposal.participantId}</a>{' · '}
            </>
          )}
          {t('proposal.created', { when: formatInstant(proposal.createdAt) })}
          {proposal.continuedFromPreviousRun && <> · {t('proposal.continued')}</>}
        </p>
        {proposal.state === 'PROPOSAL_STATE_REJECTED' && proposal.rejectionReason && (
          <p>{t('proposal.rejectedBecause')} {proposal.rejectionReason}</p>
        )}
        {proposal.decidedAt && <p class="help">{t('proposal.decided', { who: proposal.decidedBy ?? '', when: formatInstant(proposal.decidedAt) })}</p>}
        {pending && (
          <div class="proposal-actions">
            <button type="button" class="primary" disabled={busy} onClick={() => decide('DECISION_ACCEPT')}
              aria-describedby={`proposal-title-${id}`}>
              {t('proposal.accept')}
            </button>
            {!rejecting ? (
              <button type="button" disabled={busy} onClick={() => {
                setRejecting(true);
                requestAnimationFrame(() => document.getElementById(`reject-reason-${id}`)?.focus());
              }}>{t('proposal.reject')}</button>
            ) : (
              <div class="reject-form">
                <label for={`reject-reason-${id}`}>{t('proposal.reason')}</label>
                <textarea id={`reject-reason-${id}`} maxLength={500} value={reason}
                  aria-describedby={`reject-help-${id}${reasonError ? ` reject-error-${id}` : ''}`}
                  aria-invalid={reasonError ? true : undefined}
                  onInput={(e) => { setReason((e.target as HTMLTextAreaElement).value); setReasonError(undefined); }} />
                <span id={`reject-help-${id}`} class="help">{t('proposal.reasonHelp')}</span>
                {reasonError && <p id={`reject-error-${id}`} class="error-text">{reasonError}</p>}
                <div class="form-actions">
                  <button type="button" class="danger" disabled={busy} onClick={() => decide('DECISION_REJECT')}>{t('proposal.confirmReject')}</button>
                  <button type="button" disabled={busy} onClick={() => { setRejecting(false); setReasonError(undefined); }}>{t('proposal.cancel')}</button>
                </div>
              </div>
            )}
          </div>
        )}
        <span id={`proposal-title-${id}`} class="visually-hidden">{opening?.title ?? proposal.openingId}</span>
        {error !== undefined && <ErrorMessage error={error} />}
      </OpeningMatch>
    </li>
  );
}
