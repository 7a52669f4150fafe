// One participant: the profile as a form, suggestions with the map, "why
// not" for any opening, and the participant's proposals.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, call } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import type { Choice } from '../../components/Pickers';
import { lang, t } from '../../i18n';
import { loadOpenings, type OpeningIndex } from '../../openings';
import { municipalityName, useReference } from '../../reference';
import { href } from '../../router';
import { enumLabel, stepLabel } from '../../strings/enums';
import type { Participant, Proposal, SuggestOpeningsResponse } from '../../types';
import { listProposals } from './data';
import { ProfileForm } from './ProfileForm';
import { ProposalCard } from './ProposalCard';
import { defaultSuggestRequest, Suggestions } from './Suggestions';
import { WhyNot } from './WhyNot';

export function ParticipantPage({ id }: { id: string }) {
  const { reference, error: refError } = useReference();
  const [participant, setParticipant] = useState<Participant | undefined>();
  const [openings, setOpenings] = useState<OpeningIndex | undefined>();
  const [proposals, setProposals] = useState<Proposal[]>([]);
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const [ask, setAsk] = useState<{ openingId: string; at: number } | undefined>();

  const [initial, setInitial] = useState<Promise<SuggestOpeningsResponse> | undefined>();

  const load = () => {
    setError(undefined);
    // Ask for the first suggestions at once, beside the page's other data.
    const first = call<SuggestOpeningsResponse>('CoachService', 'SuggestOpenings', defaultSuggestRequest(id));
    first.catch(() => undefined);
    setInitial(first);
    Promise.all([
      call<Participant>('ParticipantRegistry', 'GetParticipant', { participantId: id }),
      loadOpenings(),
      listProposals(['PROPOSAL_STATE_PENDING'], id).catch(() => [] as Proposal[]),
    ]).then(([p, o, props]) => {
      setParticipant(p);
      setOpenings(o);
      setProposals(props);
    }, setError);
  };
  useEffect(load, [id]);

  const organisations: Choice[] = useMemo(() => {
    const names = new Map<string, string>();
    for (const o of openings?.all ?? []) if (o.organisationId) names.set(o.organisationId, o.organisationName || o.organisationId);
    return [...names.entries()].map(([code, name]) => ({ code, label: name }))
      .sort((a, b) => a.label.localeCompare(b.label, lang()));
  }, [openings]);

  const title = t('coach.participant.title', { id });
  if (error) {
    const refused = error instanceof ApiError && (error.code === 'permission_denied' || error.code === 'not_found');
    return (
      <Page title={title}>
        <ErrorMessage error={error} text={refused ? t('coach.participant.refused', { id }) : undefined}
          onRetry={refused ? undefined : load} />
        <p><a href={href('coach')}>{t('coach.backToCaseload')}</a></p>
      </Page>
    );
  }
  if (refError) return <Page title={title}><ErrorMessage error={refError} /></Page>;
  if (!participant || !reference || !openings) return <Page title={title}><Loading /></Page>;

  // In-page links: the address's hash is the route, so move focus by script.
  const jump = (target: string) => (event: Event) => {
    event.preventDefault();
    const heading = document.getElementById(target);
    if (!heading) return;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus();
  };
  const saved = (updated: Participant) => {
    setParticipant(updated);
    setVersion((v) => v + 1);
  };
  const decided = (updated: Proposal) => {
    setProposals((list) => list.map((p) => (p.proposalId === updated.proposalId ? updated : p)));
    if (updated.state === 'PROPOSAL_STATE_ACCEPTED') {
      call<Participant>('ParticipantRegistry', 'GetParticipant', { participantId: id }).then(saved, () => undefined);
    }
  };

  return (
    <Page title={title} actions={<a href={href('coach')}>{t('coach.backToCaseload')}</a>}>
      <p class="meta">
        {[municipalityName(participant.home?.municipalityCode, reference), stepLabel(participant.step),
          enumLabel(participant.status), enumLabel(participant.travelMode),
          t('coach.participant.minutes', { minutes: participant.maxTravelMinutes ?? 0 })].join(' · ')}
      </p>
      <nav class="on-page" aria-label={t('coach.participant.onPage')}>
        <ul>
          {proposals.length > 0 && <li><a href="#own-proposals-heading" onClick={jump('own-proposals-heading')}>{t('coach.participant.proposals')}</a></li>}
          <li><a href="#suggestions-heading" onClick={jump('suggestions-heading')}>{t('suggest.title')}</a></li>
          <li><a href="#why-heading" onClick={jump('why-heading')}>{t('why.title')}</a></li>
          <li><a href="#profile-heading" onClick={jump('profile-heading')}>{t('profile.title')}</a></li>
        </ul>
      </nav>
      {proposals.length > 0 && (
        <section class="panel" aria-labelledby="own-proposals-heading">
          <h2 id="own-proposals-heading" tabIndex={-1}>{t('coach.participant.proposals')}</h2>
          <ul class="match-list">
            {proposals.map((p) => (
              <ProposalCard key={p.proposalId} proposal={p} opening={openings.get(p.openingId)} reference={reference} onDecided={decided} />
            ))}
          </ul>
        </section>
      )}
      <Suggestions participant={participant} reference={reference} openings={openings} version={version} initial={initial}
        onWhy={(openingId) => setAsk({ openingId, at: Date.now() })} />
      <WhyNot participantId={participant.id} reference={reference} openings={openings} ask={ask} version={version} />
      <section class="panel">
        <ProfileForm participant={participant} reference={reference} organisations={organisations} onSaved={saved} />
      </section>
    </Page>
  );
}
