// One participant: the profile as a form, suggestions with the map (each
// can be held), "why not" for any opening, the participant's proposals,
// their holds and running placement (start, end with an outcome) and their
// timeline.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, call } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import type { Choice } from '../../components/Pickers';
import { formatNumber, lang, t } from '../../i18n';
import { forgetOpenings, loadOpenings, type OpeningIndex } from '../../openings';
import { municipalityName, useReference } from '../../reference';
import { href } from '../../router';
import { enumLabel, stepLabel } from '../../strings/enums';
import '../../strings/placements';
import { formatDay, formatUntil } from '../../dates';
import type { Hold, Participant, PlacementRecord, Proposal, StartPlacementResponse, SuggestOpeningsResponse } from '../../types';
import { listProposals } from './data';
import { HoldButton, HoldsList } from './Holds';
import { loadLife, runningPlacement, type Life } from './life';
import { DirectStart, openingName, RunningPlacementView } from './Placement';
import { Timeline } from './Timeline';
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
  const [life, setLife] = useState<Life | undefined>();
  const [lifeError, setLifeError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const noticeLine = useRef<HTMLParagraphElement>(null);

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
    reloadLife();
  };
  const reloadLife = () => {
    setLifeError(undefined);
    loadLife(id).then(setLife, setLifeError);
  };
  useEffect(load, [id]);
  useEffect(() => {
    if (notice) noticeLine.current?.focus();
  }, [notice]);

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
    reloadLife();
  };
  // After a hold, a release, a start or an end: places, status, step,
  // suggestions, holds and the timeline have all moved; ask again.
  const changed = (message: string, updated?: Participant) => {
    setNotice(message);
    forgetOpenings();
    loadOpenings().then(setOpenings, () => undefined);
    if (updated) saved(updated);
    else call<Participant>('ParticipantRegistry', 'GetParticipant', { participantId: id }).then(saved, () => undefined);
    reloadLife();
  };
  const held = (hold: Hold) => changed(t('hold.done', {
    opening: openingName(openings, hold.openingId), participant: id, when: formatUntil(hold.expiresAt),
  }), participant);
  const released = (hold: Hold) => changed(t('holds.released', { opening: openingName(openings, hold.openingId) }), participant);
  const started = (answer: StartPlacementResponse) => {
    const expired = answer.expiredProposals ?? 0;
    const text = t('start.done', {
      opening: openingName(openings, answer.placement?.openingId), date: formatDay(answer.placement?.startDate),
    });
    changed(expired > 0 ? `${text} ${t('start.expired', { n: formatNumber(expired) })}` : text, answer.participant);
    if (expired > 0) setProposals([]);
  };
  const ended = (placement: PlacementRecord) => changed(t(placement.leftProgramme ? 'end.doneLeft' : 'end.done', {
    outcome: t(placement.outcome ?? 'PLACEMENT_OUTCOME_UNSPECIFIED'),
  }));
  const active = participant.status === 'PARTICIPANT_STATUS_ACTIVE';
  const holding = (life?.holds.length ?? 0) > 0;
  const running = life ? runningPlacement(life.timeline) : undefined;

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
          <li><a href="#life-heading" onClick={jump('life-heading')}>{t('life.onPage')}</a></li>
          <li><a href="#suggestions-heading" onClick={jump('suggestions-heading')}>{t('suggest.title')}</a></li>
          <li><a href="#why-heading" onClick={jump('why-heading')}>{t('why.title')}</a></li>
          <li><a href="#timeline-heading" onClick={jump('timeline-heading')}>{t('timeline.title')}</a></li>
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
      <section class="panel" aria-labelledby="life-heading" data-testid="life">
        <h2 id="life-heading" tabIndex={-1}>{t('life.title')}</h2>
        {notice && <p class="notice success" role="status" tabIndex={-1} ref={noticeLine} data-testid="life-notice">{notice}</p>}
        {lifeError !== undefined && <ErrorMessage error={lifeError} onRetry={reloadLife} />}
        {!life && lifeError === undefined && <Loading />}
        {life && (
          <>
            {participant.status === 'PARTICIPANT_STATUS_EXITED' && participant.exitDate && (
              <p>{t('placement.exited', { date: formatDay(participant.exitDate) })}</p>
            )}
            {running ? (
              <RunningPlacementView key={running.placementId} running={running} participant={participant}
                openings={openings} onEnded={ended} />
            ) : <p>{t('placement.none')}</p>}
            <HoldsList holds={life.holds} openings={openings} canStart={active} onReleased={released} onStarted={started} />
            {active ? (
              <DirectStart participantId={participant.id} openings={openings} onStarted={started} />
            ) : <p class="help">{t('start.notActive')}</p>}
          </>
        )}
      </section>
      <Suggestions participant={participant} reference={reference} openings={openings} version={version} initial={initial}
        onWhy={(openingId) => setAsk({ openingId, at: Date.now() })}
        actions={(m) => {
          if (!active || !m.openingId || m.eligible === false) return null;
          if (holding) return null;
          return <HoldButton participantId={participant.id} openingId={m.openingId}
            openingName={openingName(openings, m.openingId)} onHeld={held} />;
        }} />
      <WhyNot participantId={participant.id} reference={reference} openings={openings} ask={ask} version={version} />
      {life && <Timeline events={life.timeline} openings={openings} />}
      <section class="panel">
        <ProfileForm participant={participant} reference={reference} organisations={organisations} onSaved={saved} />
      </section>
    </Page>
  );
}
