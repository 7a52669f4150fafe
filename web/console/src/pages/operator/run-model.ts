// Re-match runs as the API's JSON carries them (rematch_service.proto), and
// the runs this browser started: until RematchService.ListRuns exists on the
// server, the run list shows those.

export interface StartRunParameters {
  candidatesPerParticipant?: number;
  seed?: string; // uint64 as proto JSON writes it
  continuityBonus?: number;
  dryRun?: boolean;
}

export interface ApiRun {
  runId?: string;
  state?: string;
  startedAt?: string;
  finishedAt?: string;
  createdAt?: string;
  parameters?: StartRunParameters;
  requestedBy?: string;
  snapshotVersion?: string;
  errorMessage?: string;
}

export interface RunProgress {
  phase?: string;
  percent?: number;
  elapsed?: string; // google.protobuf.Duration, e.g. "1.250s"
  state?: string;
}

export interface GroupOutcome {
  dimension?: string;
  group?: string;
  participants?: number;
  proposed?: number;
  proposalRate?: number;
  meanScore?: number;
  ratioToBest?: number;
  belowFourFifths?: boolean;
  suppressed?: boolean;
}

export interface RunReport {
  runId?: string;
  dryRun?: boolean;
  participantsConsidered?: number;
  participantsProposed?: number;
  participantsUnmatched?: number;
  openingsConsidered?: number;
  openingsWithoutCandidates?: number;
  openingsWithoutCandidatesIds?: string[];
  objective?: string;
  objectiveScale?: string;
  unmatchedReasons?: { rule?: string; count?: number }[];
  fairnessAudit?: { groups?: GroupOutcome[]; minGroupSize?: number };
  phaseTimings?: { phase?: string; duration?: string }[];
  proposalsContinued?: number;
  proposalsWithdrawn?: number;
}

export const kTerminalStates = ['RUN_STATE_SUCCEEDED', 'RUN_STATE_FAILED', 'RUN_STATE_CANCELLED'];

/** Seconds of a proto JSON Duration ("1.5s"); 0 when unset or malformed. */
export function durationSeconds(duration: string | undefined): number {
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(duration ?? '');
  return m ? Number(m[1]) : 0;
}

// Runs started from this page since it loaded, newest first.
const started: ApiRun[] = [];

export function rememberRun(run: ApiRun): void {
  const i = started.findIndex((r) => r.runId === run.runId);
  if (i >= 0) started[i] = { ...started[i], ...run };
  else started.unshift(run);
}

export function rememberedRuns(): ApiRun[] {
  return [...started];
}

/** Updates a remembered run's state from its progress. */
export function rememberState(runId: string, state: string | undefined): void {
  const run = started.find((r) => r.runId === runId);
  if (run && state) run.state = state;
}
