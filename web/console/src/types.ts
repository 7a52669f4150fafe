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
  | 'PARTICIPANT_STATUS_PAUSED' | 'PARTICIPANT_STATUS_PLACED';
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
