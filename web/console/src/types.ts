// The API's messages as the browser receives them: protobuf's canonical JSON
// of proto/placement/v1/*.proto (lowerCamelCase names, enums by proto name,
// 64-bit integers as strings). Only the fields the console reads are typed.

export interface LocalizedText { sv?: string; en?: string }
export interface GeoPoint { latitude?: number; longitude?: number }
export interface Location { municipalityCode?: string; point?: GeoPoint }
export interface DateValue { year?: number; month?: number; day?: number }
export interface PageRequest { pageSize?: number; pageToken?: string }

export type TravelMode = 'TRAVEL_MODE_UNSPECIFIED' | 'TRAVEL_MODE_WALK' | 'TRAVEL_MODE_BIKE'
  | 'TRAVEL_MODE_PUBLIC_TRANSPORT' | 'TRAVEL_MODE_CAR';
export const TRAVEL_MODES: TravelMode[] = ['TRAVEL_MODE_WALK', 'TRAVEL_MODE_BIKE',
  'TRAVEL_MODE_PUBLIC_TRANSPORT', 'TRAVEL_MODE_CAR'];

export type SwedishLevel = 'SWEDISH_LEVEL_UNSPECIFIED' | 'SWEDISH_LEVEL_NONE' | 'SWEDISH_LEVEL_BASIC'
  | 'SWEDISH_LEVEL_INTERMEDIATE' | 'SWEDISH_LEVEL_GOOD' | 'SWEDISH_LEVEL_FLUENT';
export const SWEDISH_LEVELS: SwedishLevel[] = ['SWEDISH_LEVEL_NONE', 'SWEDISH_LEVEL_BASIC',
  'SWEDISH_LEVEL_INTERMEDIATE', 'SWEDISH_LEVEL_GOOD', 'SWEDISH_LEVEL_FLUENT'];

export type TargetGroup = string;
export const TARGET_GROUPS: TargetGroup[] = ['TARGET_GROUP_LONG_TERM_UNEMPLOYED',
  'TARGET_GROUP_OUTSIDE_LABOUR_MARKET', 'TARGET_GROUP_DISABILITY', 'TARGET_GROUP_SICK_LEAVE_RETURN',
  'TARGET_GROUP_ACTIVITY_COMPENSATION', 'TARGET_GROUP_NO_UPPER_SECONDARY',
  'TARGET_GROUP_NEWLY_ARRIVED', 'TARGET_GROUP_FINANCIAL_ASSISTANCE'];

export type NeedStrength = 'NEED_STRENGTH_UNSPECIFIED' | 'NEED_STRENGTH_HARD' | 'NEED_STRENGTH_SOFT';

export type ScoreComponent = 'SCORE_COMPONENT_UNSPECIFIED' | 'SCORE_COMPONENT_SKILLS'
  | 'SCORE_COMPONENT_SUPPORT' | 'SCORE_COMPONENT_TRAVEL' | 'SCORE_COMPONENT_STEP'
  | 'SCORE_COMPONENT_PREFERENCE';

export type HardRule = string;

export type ParticipantStatus = 'PARTICIPANT_STATUS_UNSPECIFIED' | 'PARTICIPANT_STATUS_ACTIVE'
  | 'PARTICIPANT_STATUS_PAUSED' | 'PARTICIPANT_STATUS_PLACED' | 'PARTICIPANT_STATUS_EXITED';
export const PARTICIPANT_STATUSES: ParticipantStatus[] = ['PARTICIPANT_STATUS_ACTIVE',
  'PARTICIPANT_STATUS_PAUSED', 'PARTICIPANT_STATUS_PLACED'];

export type OpeningKind = 'OPENING_KIND_UNSPECIFIED' | 'OPENING_KIND_EMPLOYER_INTERNSHIP'
  | 'OPENING_KIND_WORK_TRAINING' | 'OPENING_KIND_ENHANCED_WORK_TRAINING'
  | 'OPENING_KIND_SOCIAL_ENTERPRISE' | 'OPENING_KIND_SUPPORTED_EMPLOYMENT';
export const OPENING_KINDS: OpeningKind[] = ['OPENING_KIND_EMPLOYER_INTERNSHIP',
  'OPENING_KIND_WORK_TRAINING', 'OPENING_KIND_ENHANCED_WORK_TRAINING',
  'OPENING_KIND_SOCIAL_ENTERPRISE', 'OPENING_KIND_SUPPORTED_EMPLOYMENT'];

export type OpeningStatus = 'OPENING_STATUS_UNSPECIFIED' | 'OPENING_STATUS_DRAFT'
  | 'OPENING_STATUS_OPEN' | 'OPENING_STATUS_PAUSED' | 'OPENING_STATUS_CLOSED';
export const OPENING_STATUSES: OpeningStatus[] = ['OPENING_STATUS_DRAFT', 'OPENING_STATUS_OPEN',
  'OPENING_STATUS_PAUSED', 'OPENING_STATUS_CLOSED'];

export const STEPS = [0, 1, 2, 3, 4, 5];

export interface SkillLevel { skillCode?: string; level?: number }
export interface SupportNeed { needCode?: string; strength?: NeedStrength }

export interface Participant {
  id: string;
  skills?: SkillLevel[];
  wantedFields?: string[];
  supportNeeds?: SupportNeed[];
  home?: Location;
  travelMode?: TravelMode;
  maxTravelMinutes?: number;
  hoursPerWeekAvailable?: number;
  step?: number;
  swedishLevel?: SwedishLevel;
  targetGroups?: TargetGroup[];
  birthYear?: number;
  vetoedOrganisationIds?: string[];
  vetoedFields?: string[];
  status?: ParticipantStatus;
  coachId?: string;
  updatedAt?: string;
  sensitiveFieldsRedacted?: boolean;
  /** Set with status EXITED: the day the participant left the programme. */
  exitDate?: DateValue;
}

export interface Eligibility { minAge?: number; maxAge?: number; targetGroups?: TargetGroup[] }

export interface Opening {
  id: string;
  kind?: OpeningKind;
  organisationId?: string;
  organisationName?: string;
  title?: string;
  location?: Location;
  essentialSkills?: string[];
  optionalSkills?: string[];
  occupationField?: string;
  supportsOffered?: string[];
  capacity?: number;
  placesTaken?: number;
  minHoursPerWeek?: number;
  maxHoursPerWeek?: number;
  step?: number;
  eligibility?: Eligibility;
  minSwedishLevel?: SwedishLevel;
  startDate?: DateValue;
  endDate?: DateValue;
  status?: OpeningStatus;
  updatedAt?: string;
  /** Places reserved by live holds (never whose); taken + held <= capacity. */
  placesHeld?: number;
}

export interface ComponentScore { component?: ScoreComponent; value?: number; weight?: number; contribution?: number }
export interface TravelEstimate { minutes?: number; distanceKm?: number; mode?: TravelMode }
export type ReasonEffect = 'REASON_EFFECT_UNSPECIFIED' | 'REASON_EFFECT_POSITIVE'
  | 'REASON_EFFECT_NEGATIVE' | 'REASON_EFFECT_NEUTRAL';
export interface Reason { text?: LocalizedText; component?: ScoreComponent; effect?: ReasonEffect }
export interface Exclusion { rule?: HardRule; text?: LocalizedText }

export interface Match {
  participantId?: string;
  openingId?: string;
  score?: number;
  components?: ComponentScore[];
  travel?: TravelEstimate;
  reasons?: Reason[];
  eligible?: boolean;
  exclusions?: Exclusion[];
  sensitiveReasonsRedacted?: boolean;
}

export interface Candidate {
  participantId?: string;
  coachId?: string;
  score?: number;
  components?: ComponentScore[];
  travel?: TravelEstimate;
  reasons?: Reason[];
}

export interface MatchFilters {
  kinds?: OpeningKind[];
  municipalityCodes?: string[];
  maxTravelMinutes?: number;
  includeFullOpenings?: boolean;
}

export interface SuggestOpeningsResponse {
  suggestions?: Match[];
  snapshotVersion?: string;
  profileName?: string;
  openingsConsidered?: number;
  openingsEligible?: number;
}

export type ProposalState = 'PROPOSAL_STATE_UNSPECIFIED' | 'PROPOSAL_STATE_PENDING'
  | 'PROPOSAL_STATE_ACCEPTED' | 'PROPOSAL_STATE_REJECTED' | 'PROPOSAL_STATE_EXPIRED';
export const PROPOSAL_STATES: ProposalState[] = ['PROPOSAL_STATE_PENDING', 'PROPOSAL_STATE_ACCEPTED',
  'PROPOSAL_STATE_REJECTED', 'PROPOSAL_STATE_EXPIRED'];

export interface Proposal {
  proposalId?: string;
  runId?: string;
  participantId?: string;
  openingId?: string;
  match?: Match;
  state?: ProposalState;
  decidedBy?: string;
  decidedAt?: string;
  rejectionReason?: string;
  createdAt?: string;
  continuedFromPreviousRun?: boolean;
}

// Reference data (ReferenceDataService).
export interface ReferenceCode { code: string; label?: LocalizedText }
export interface Skill { code: string; label?: LocalizedText; group?: ReferenceCode; field?: ReferenceCode }
export interface SupportNeedCode {
  code: string;
  label?: LocalizedText;
  mayBeHard?: boolean;
  healthRelated?: boolean;
  metBySupportCodes?: string[];
}
export interface Municipality { code: string; label?: LocalizedText; county?: ReferenceCode; centre?: GeoPoint }

// The placement's life (PlacementService): holds, placements, the timeline,
// an opening's counts.
export type HoldState = 'HOLD_STATE_UNSPECIFIED' | 'HOLD_STATE_ACTIVE' | 'HOLD_STATE_RELEASED'
  | 'HOLD_STATE_EXPIRED' | 'HOLD_STATE_STARTED';

export interface Hold {
  holdId?: string;
  participantId?: string;
  openingId?: string;
  coachId?: string;
  state?: HoldState;
  createdAt?: string;
  expiresAt?: string;
  endedAt?: string;
  placementId?: string;
}

export type PlacementSource = 'PLACEMENT_SOURCE_UNSPECIFIED' | 'PLACEMENT_SOURCE_HOLD'
  | 'PLACEMENT_SOURCE_PROPOSAL' | 'PLACEMENT_SOURCE_DIRECT';

export type PlacementOutcome = 'PLACEMENT_OUTCOME_UNSPECIFIED' | 'PLACEMENT_OUTCOME_COMPLETED'
  | 'PLACEMENT_OUTCOME_MOVED_UP' | 'PLACEMENT_OUTCOME_UNSUBSIDISED_WORK'
  | 'PLACEMENT_OUTCOME_SUBSIDISED_WORK' | 'PLACEMENT_OUTCOME_STUDIES'
  | 'PLACEMENT_OUTCOME_INTERRUPTED_BY_PARTICIPANT' | 'PLACEMENT_OUTCOME_INTERRUPTED_BY_EMPLOYER'
  | 'PLACEMENT_OUTCOME_INTERRUPTED_HEALTH' | 'PLACEMENT_OUTCOME_INTERRUPTED_OTHER';
/** Every outcome a coach may choose, in the order the form lists them. */
export const PLACEMENT_OUTCOMES: PlacementOutcome[] = ['PLACEMENT_OUTCOME_COMPLETED',
  'PLACEMENT_OUTCOME_MOVED_UP', 'PLACEMENT_OUTCOME_UNSUBSIDISED_WORK',
  'PLACEMENT_OUTCOME_SUBSIDISED_WORK', 'PLACEMENT_OUTCOME_STUDIES',
  'PLACEMENT_OUTCOME_INTERRUPTED_BY_PARTICIPANT', 'PLACEMENT_OUTCOME_INTERRUPTED_BY_EMPLOYER',
  'PLACEMENT_OUTCOME_INTERRUPTED_HEALTH', 'PLACEMENT_OUTCOME_INTERRUPTED_OTHER'];

export interface PlacementRecord {
  placementId?: string;
  participantId?: string;
  openingId?: string;
  source?: PlacementSource;
  sourceId?: string;
  startedBy?: string;
  startDate?: DateValue;
  endDate?: DateValue;
  outcome?: PlacementOutcome;
  movedToStep?: number;
  leftProgramme?: boolean;
  endedBy?: string;
}

export interface StartPlacementResponse {
  placement?: PlacementRecord;
  participant?: Participant;
  expiredProposals?: number;
}

export type TimelineEventKind = 'TIMELINE_EVENT_KIND_UNSPECIFIED'
  | 'TIMELINE_EVENT_KIND_HOLD_PLACED' | 'TIMELINE_EVENT_KIND_HOLD_RELEASED'
  | 'TIMELINE_EVENT_KIND_HOLD_EXPIRED' | 'TIMELINE_EVENT_KIND_HOLD_STARTED'
  | 'TIMELINE_EVENT_KIND_PLACEMENT_STARTED' | 'TIMELINE_EVENT_KIND_PLACEMENT_ENDED'
  | 'TIMELINE_EVENT_KIND_PROPOSAL_MADE' | 'TIMELINE_EVENT_KIND_PROPOSAL_ACCEPTED'
  | 'TIMELINE_EVENT_KIND_PROPOSAL_REJECTED' | 'TIMELINE_EVENT_KIND_PROPOSAL_EXPIRED'
  | 'TIMELINE_EVENT_KIND_STEP_CHANGED';

export interface TimelineEvent {
  date?: DateValue;
  recordedAt?: string;
  kind?: TimelineEventKind;
  openingId?: string;
  reference?: string;
  actor?: string;
  fromStep?: number;
  toStep?: number;
  outcome?: PlacementOutcome;
  note?: string;
}

export interface OpeningPlacementCounts {
  openingId?: string;
  current?: number;
  ended?: number;
  completed?: number;
  movedUp?: number;
  unsubsidisedWork?: number;
  subsidisedWork?: number;
  studies?: number;
  interrupted?: number;
  placesHeld?: number;
}

// Follow-up (FollowUpService): counts only, counts of 1..4 withheld.
/** One count; withheld (1..4) reads as count 0 with withheld true. */
export interface FollowUpCell { withheld?: boolean; count?: number }
export interface FollowUpByGender {
  female?: FollowUpCell; male?: FollowUpCell; other?: FollowUpCell; undisclosed?: FollowUpCell; total?: FollowUpCell;
}
export interface FollowUpRow { key?: string; counts?: FollowUpByGender }
export interface FollowUpShare { participants?: FollowUpCell; movedUp?: FollowUpCell; share?: number }
export interface FollowUpShareByGender {
  female?: FollowUpShare; male?: FollowUpShare; other?: FollowUpShare; undisclosed?: FollowUpShare; total?: FollowUpShare;
}
export interface FollowUpMedian { participants?: FollowUpCell; medianDays?: number }
export interface FollowUpMedianByGender {
  female?: FollowUpMedian; male?: FollowUpMedian; other?: FollowUpMedian; undisclosed?: FollowUpMedian; total?: FollowUpMedian;
}
/** The gender columns of the follow-up report, in its order. */
export const FOLLOW_UP_GENDERS = ['female', 'male', 'other', 'undisclosed'] as const;
export type FollowUpGender = (typeof FOLLOW_UP_GENDERS)[number];

export interface FollowUpReport {
  fromDate?: DateValue;
  toDate?: DateValue;
  municipalityCode?: string;
  programmeCode?: string;
  withheldBelow?: number;
  generatedAt?: string;
  entriesByAgeBand?: FollowUpRow[];
  placementsByKind?: FollowUpRow[];
  exitsByOutcome?: FollowUpRow[];
  exitsBySituation?: FollowUpRow[];
  movedUp?: FollowUpShareByGender;
  daysToFirstPlacement?: FollowUpMedianByGender;
}

export type FunnelStageKind = 'FUNNEL_STAGE_KIND_UNSPECIFIED' | 'FUNNEL_STAGE_KIND_SUGGESTED'
  | 'FUNNEL_STAGE_KIND_PROPOSED' | 'FUNNEL_STAGE_KIND_ACCEPTED' | 'FUNNEL_STAGE_KIND_STARTED'
  | 'FUNNEL_STAGE_KIND_GOOD_OUTCOME';
export const FUNNEL_STAGES: FunnelStageKind[] = ['FUNNEL_STAGE_KIND_SUGGESTED', 'FUNNEL_STAGE_KIND_PROPOSED',
  'FUNNEL_STAGE_KIND_ACCEPTED', 'FUNNEL_STAGE_KIND_STARTED', 'FUNNEL_STAGE_KIND_GOOD_OUTCOME'];

/** The stages with a conversion from the stage before, in order. */
export const FUNNEL_CONVERSIONS: FunnelStageKind[] = ['FUNNEL_STAGE_KIND_ACCEPTED', 'FUNNEL_STAGE_KIND_STARTED',
  'FUNNEL_STAGE_KIND_GOOD_OUTCOME'];

export interface FunnelConversion {
  converted?: number;
  rate?: number;
  ratioToBest?: number;
  belowFourFifths?: boolean;
}
export interface FunnelStage {
  stage?: FunnelStageKind;
  reached?: number;
  /** reached / the group's participants, 0..1. */
  share?: number;
  ratioToBest?: number;
  belowFourFifths?: boolean;
  /** ACCEPTED, STARTED and GOOD_OUTCOME only. */
  conversion?: FunnelConversion;
}
export interface FunnelGroup {
  dimension?: string;
  group?: string;
  participants?: number;
  suppressed?: boolean;
  stages?: FunnelStage[];
}
export interface DecisionFunnel {
  fromDate?: DateValue;
  toDate?: DateValue;
  totals?: FunnelGroup;
  groups?: FunnelGroup[];
  minGroupSize?: number;
}
