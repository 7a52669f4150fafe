#include "app/employer.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/opening_lifecycle.h"
#include "engine/opening_rules.h"
#include "engine/validation.h"
#include "logging/log.h"

namespace placement::app {
namespace {

constexpr absl::string_view kPublishCall = "EmployerService.PublishOpening";
constexpr absl::string_view kUpdateCall = "EmployerService.UpdateOpening";
constexpr absl::string_view kPauseCall = "EmployerService.PauseOpening";
constexpr absl::string_view kReopenCall = "EmployerService.ReopenOpening";
constexpr absl::string_view kCloseCall = "EmployerService.CloseOpening";
constexpr absl::string_view kGetCall = "EmployerService.GetOpening";
constexpr absl::string_view kListCall = "EmployerService.ListOpenings";
constexpr absl::string_view kCandidatesCall =
    "EmployerService.SuggestCandidates";
constexpr absl::string_view kGapsCall = "EmployerService.GetSupplyGaps";

absl::StatusOr<const Opening*> FindOpening(const Snapshot& snapshot,
                                           absl::string_view id,
                                           absl::string_view path) {
  std::optional<int> index = snapshot.FindOpening(id);
  if (!index) {
    return absl::NotFoundError(
        absl::StrCat(path, ": '", id, "' does not exist"));
  }
  return &snapshot.opening(*index);
}

// Every rule an opening must satisfy to be stored or published, with the
// API's paths under "opening". places_taken is the server's, never the
// caller's mistake, so its check is left to the FAILED_PRECONDITION on
// capacity. The API requires a title (CSV imports may leave it empty),
// checked when `require_title`.
absl::Status ValidateOpening(const Opening& opening,
                             const ReferenceData& reference,
                             bool require_title) {
  std::vector<FieldProblem> problems = CheckOpening(opening, reference);
  problems.erase(std::remove_if(problems.begin(), problems.end(),
                                [](const FieldProblem& p) {
                                  return p.field == "places_taken";
                                }),
                 problems.end());
  if (require_title && opening.title.empty()) {
    problems.push_back({"title", "", "is required"});
  }
  return OpeningProblems(problems, "opening");
}

// INVALID_ARGUMENT when the caller sets an end date that has passed.
absl::Status CheckNotEnded(const Opening& opening, const Date& today) {
  if (!AvailabilityOn(opening, today).ended) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("opening.end_date: ", FormatDate(*opening.end_date),
                   " has passed (today is ", FormatDate(today), ")"));
}

// No coordinates given: the municipality's main town stands in.
void PlaceInMunicipality(const ReferenceData& reference, Opening& opening) {
  if (std::optional<int> m =
          reference.municipalities.Find(opening.municipality_code)) {
    opening.location = reference.municipalities.all()[*m].centre;
  }
}

// `codes` as a filter: at most kMaxMunicipalityCodes, each a known 4-digit
// code; `path` names the request field.
absl::Status CheckMunicipalityCodes(const std::vector<std::string>& codes,
                                    absl::string_view path,
                                    const ReferenceData& reference) {
  if (codes.size() > static_cast<size_t>(kMaxMunicipalityCodes)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", codes.size(), " entries is above the maximum ",
                     kMaxMunicipalityCodes));
  }
  for (size_t i = 0; i < codes.size(); ++i) {
    const std::string& code = codes[i];
    const bool four_digits =
        code.size() == 4 && std::all_of(code.begin(), code.end(), [](char c) {
          return absl::ascii_isdigit(static_cast<unsigned char>(c));
        });
    if (!four_digits) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, "[", i, "]: '", code.substr(0, 60),
                       "' is not a 4-digit municipality code"));
    }
    if (!reference.municipalities.Find(code)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, "[", i, "]: '", code,
                       "' is not a municipality code (e.g. 1863 for "
                       "Hällefors)"));
    }
  }
  return absl::OkStatus();
}

// A page token is "<filters fingerprint>:<last id of the page>", so a token
// is refused with other filters. FNV-1a over the filters in a canonical
// order: stable across processes and builds.
std::string FiltersFingerprint(const OpeningFilters& filters) {
  std::vector<std::string> statuses;
  for (OpeningStatus status : filters.statuses) {
    statuses.emplace_back(OpeningStatusName(status));
  }
  std::vector<std::string> kinds;
  for (OpeningKind kind : filters.kinds) {
    kinds.emplace_back(OpeningKindSlug(kind));
  }
  std::vector<std::string> codes = filters.municipality_codes;
  std::sort(statuses.begin(), statuses.end());
  std::sort(kinds.begin(), kinds.end());
  std::sort(codes.begin(), codes.end());
  const std::string canonical = absl::StrCat(
      absl::StrJoin(statuses, ","), "|", absl::StrJoin(kinds, ","), "|",
      absl::StrJoin(codes, ","), "|", filters.organisation_id);
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : canonical) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return absl::StrFormat("%016x", hash);
}

// Puts an opening the store already holds in the working snapshot.
void ShowInSnapshot(WorkingSnapshot& working, const Opening& opening) {
  working.Update([&](const std::shared_ptr<const Snapshot>& snapshot) {
    return snapshot->WithOpening(opening);
  });
}

// Stores `opening` and then puts it in the working snapshot.
absl::Status Commit(Context& context, WorkingSnapshot& working,
                    const Opening& opening) {
  if (absl::Status s = context.store->UpsertOpenings({opening}); !s.ok()) {
    return s;
  }
  ShowInSnapshot(working, opening);
  return absl::OkStatus();
}

struct Transitioned {
  Opening opening;       // as it is afterwards
  bool changed = false;  // false: the action left the status as it was
  int expired = 0;       // CloseOpening: pending proposals expired
};

// One life-cycle action on a well-formed id, inside a write step: the life
// cycle decides the next status; when it changes, `guard` may still refuse
// (the opening's content), then `write` stores it and the snapshot shows it.
absl::StatusOr<Transitioned> Transition(
    Context& context, WorkingSnapshot& working, absl::string_view id,
    OpeningAction action, absl::FunctionRef<absl::Status(const Opening&)> guard,
    absl::FunctionRef<absl::Status(const Opening&)> write) {
  std::shared_ptr<const Snapshot> current = working.Current();
  absl::StatusOr<const Opening*> stored =
      FindOpening(*current, id, "opening_id");
  if (!stored.ok()) return stored.status();
  Transitioned result{.opening = **stored};
  absl::StatusOr<OpeningStatus> next = NextOpeningStatus(
      result.opening.status, action, absl::StrCat("opening_id: '", id, "'"));
  if (!next.ok()) return next.status();
  if (*next == result.opening.status) return result;
  if (absl::Status s = guard(result.opening); !s.ok()) return s;
  result.opening.status = *next;
  result.opening.updated_at = context.now();
  if (absl::Status s = write(result.opening); !s.ok()) return s;
  ShowInSnapshot(working, result.opening);
  result.changed = true;
  return result;
}

// As above, writing the opening as it is (no proposals to reconcile).
absl::StatusOr<Transitioned> Transition(
    Context& context, WorkingSnapshot& working, absl::string_view id,
    OpeningAction action,
    absl::FunctionRef<absl::Status(const Opening&)> guard) {
  return Transition(context, working, id, action, guard,
                    [&](const Opening& opening) {
                      return context.store->UpsertOpenings({opening});
                    });
}

absl::Status NoGuard(const Opening&) { return absl::OkStatus(); }

// `done` for a write that answers its opening.
WriteDone<Transitioned> OpeningOf(WriteDone<Opening> done) {
  return [done = std::move(done)](absl::StatusOr<Transitioned> result) mutable {
    if (!result.ok()) return std::move(done)(result.status());
    std::move(done)(std::move(result->opening));
  };
}

}  // namespace

void PublishOpening(Context& context, const Caller& caller, NewOpening request,
                    WriteDone<Opening> done) {
  if (absl::Status s = CheckRole(caller, kOpeningWriterRoles, kPublishCall);
      !s.ok()) {
    return std::move(done)(s);
  }
  Opening& opening = request.opening;
  // Output-only fields are the server's.
  opening.places_taken = 0;
  opening.places_held = 0;
  opening.updated_at = context.now();
  opening.status =
      request.as_draft ? OpeningStatus::kDraft : OpeningStatus::kOpen;
  const bool assign_id = opening.id.empty();
  // A stand-in that passes the id rules until the store assigns the id.
  if (assign_id) opening.id = "O000000";
  if (!request.located) PlaceInMunicipality(*context.reference, opening);
  if (absl::Status s = ValidateOpening(opening, *context.reference,
                                       /*require_title=*/true);
      !s.ok()) {
    return std::move(done)(s);
  }
  if (absl::Status s = CheckNotEnded(opening, SwedishDate(context.now()));
      !s.ok()) {
    return std::move(done)(s);
  }
  SubmitWrite<Opening>(
      context,
      [&context, assign_id, opening = std::move(opening)](
          WorkingSnapshot& working) mutable -> absl::StatusOr<Opening> {
        if (assign_id) {
          // The store picks the id and writes in one transaction.
          absl::StatusOr<Opening> stored =
              context.store->InsertNewOpening(std::move(opening));
          if (!stored.ok()) return stored.status();
          ShowInSnapshot(working, *stored);
          return stored;
        }
        if (working.Current()->FindOpening(opening.id)) {
          return absl::AlreadyExistsError(
              absl::StrCat("opening.id: '", opening.id, "' is already used"));
        }
        if (absl::Status s = Commit(context, working, opening); !s.ok()) {
          return s;
        }
        return std::move(opening);
      },
      std::move(done));
}

absl::StatusOr<Opening> PublishOpening(Context& context, const Caller& caller,
                                       NewOpening request) {
  return Await<Opening>([&](WriteDone<Opening> done) {
    PublishOpening(context, caller, std::move(request), std::move(done));
  });
}

namespace {

// What every write to one opening checks first: the caller's role for
// `call`, then the id (named by its field in the request).
absl::Status CheckOpeningWrite(const Caller& caller, absl::string_view call,
                               absl::string_view opening_id,
                               absl::string_view field) {
  if (absl::Status s = CheckRole(caller, kOpeningWriterRoles, call); !s.ok())
    return s;
  return CheckId(opening_id, field);
}

}  // namespace

void UpdateOpening(Context& context, const Caller& caller,
                   absl::string_view opening_id, OpeningEditor edit,
                   WriteDone<Opening> done) {
  if (absl::Status s =
          CheckOpeningWrite(caller, kUpdateCall, opening_id, "opening.id");
      !s.ok()) {
    return std::move(done)(s);
  }
  SubmitWrite<Opening>(
      context,
      [&context, id = std::string(opening_id), edit = std::move(edit)](
          WorkingSnapshot& working) mutable -> absl::StatusOr<Opening> {
        const Date today = SwedishDate(context.now());
        std::shared_ptr<const Snapshot> current = working.Current();
        absl::StatusOr<const Opening*> found =
            FindOpening(*current, id, "opening.id");
        if (!found.ok()) return found.status();
        const Opening& stored = **found;
        if (absl::StatusOr<OpeningStatus> next =
                NextOpeningStatus(stored.status, OpeningAction::kEdit,
                                  absl::StrCat("opening.id: '", id, "'"));
            !next.ok()) {
          return next.status();
        }
        absl::StatusOr<OpeningChange> change = edit(stored);
        if (!change.ok()) return change.status();
        Opening& opening = change->opening;
        opening.id = stored.id;
        opening.status = stored.status;
        opening.places_taken = stored.places_taken;
        opening.places_held = stored.places_held;
        opening.updated_at = stored.updated_at;
        if (!change->located) PlaceInMunicipality(*context.reference, opening);
        const auto named = [&](absl::string_view field) {
          return std::find(change->fields.begin(), change->fields.end(),
                           field) != change->fields.end();
        };
        if (absl::Status s = ValidateOpening(opening, *context.reference,
                                             /*require_title=*/named("title"));
            !s.ok()) {
          return s;
        }
        if (named("end_date")) {
          if (absl::Status s = CheckNotEnded(opening, today); !s.ok()) return s;
        }
        if (opening.capacity < opening.places_taken + opening.places_held) {
          return absl::FailedPreconditionError(absl::StrCat(
              "opening.capacity: ", opening.capacity, " is below places_taken ",
              opening.places_taken,
              opening.places_held > 0
                  ? absl::StrCat(" + places_held ", opening.places_held)
                  : std::string()));
        }
        if (opening != stored) {
          opening.updated_at = context.now();
          if (absl::Status s = Commit(context, working, opening); !s.ok()) {
            return s;
          }
        }
        return std::move(opening);
      },
      std::move(done));
}

absl::StatusOr<Opening> UpdateOpening(Context& context, const Caller& caller,
                                      absl::string_view opening_id,
                                      OpeningEditor edit) {
  return Await<Opening>([&](WriteDone<Opening> done) {
    UpdateOpening(context, caller, opening_id, std::move(edit),
                  std::move(done));
  });
}

void PauseOpening(Context& context, const Caller& caller,
                  absl::string_view opening_id, WriteDone<Opening> done) {
  if (absl::Status s =
          CheckOpeningWrite(caller, kPauseCall, opening_id, "opening_id");
      !s.ok()) {
    return std::move(done)(s);
  }
  SubmitWrite<Transitioned>(
      context,
      [&context, id = std::string(opening_id)](WorkingSnapshot& working) {
        return Transition(context, working, id, OpeningAction::kPause, NoGuard);
      },
      OpeningOf(std::move(done)));
}

absl::StatusOr<Opening> PauseOpening(Context& context, const Caller& caller,
                                     absl::string_view opening_id) {
  return Await<Opening>([&](WriteDone<Opening> done) {
    PauseOpening(context, caller, opening_id, std::move(done));
  });
}

void ReopenOpening(Context& context, const Caller& caller,
                   absl::string_view opening_id, WriteDone<Opening> done) {
  if (absl::Status s =
          CheckOpeningWrite(caller, kReopenCall, opening_id, "opening_id");
      !s.ok()) {
    return std::move(done)(s);
  }
  SubmitWrite<Transitioned>(
      context,
      [&context, id = std::string(opening_id)](WorkingSnapshot& working) {
        const Date today = SwedishDate(context.now());
        const auto guard = [&](const Opening& opening) -> absl::Status {
          if (AvailabilityOn(opening, today).ended) {
            return absl::FailedPreconditionError(absl::StrCat(
                "opening_id: '", id, "' has end_date ",
                FormatDate(*opening.end_date), ", which has passed (today is ",
                FormatDate(today), "); update end_date first"));
          }
          if (opening.status == OpeningStatus::kDraft) {
            // A draft may have been imported incomplete; publish only whole
            // ones.
            if (absl::Status s = ValidateOpening(opening, *context.reference,
                                                 /*require_title=*/true);
                !s.ok()) {
              return absl::FailedPreconditionError(
                  absl::StrCat("opening_id: '", id,
                               "' is an incomplete draft: ", s.message()));
            }
          }
          return absl::OkStatus();
        };
        return Transition(context, working, id, OpeningAction::kReopen, guard);
      },
      OpeningOf(std::move(done)));
}

absl::StatusOr<Opening> ReopenOpening(Context& context, const Caller& caller,
                                      absl::string_view opening_id) {
  return Await<Opening>([&](WriteDone<Opening> done) {
    ReopenOpening(context, caller, opening_id, std::move(done));
  });
}

void CloseOpening(Context& context, const Caller& caller,
                  absl::string_view opening_id, absl::string_view reason,
                  WriteDone<Opening> done) {
  if (absl::Status s =
          CheckOpeningWrite(caller, kCloseCall, opening_id, "opening_id");
      !s.ok()) {
    return std::move(done)(s);
  }
  if (const size_t length = Utf8Characters(reason);
      length > kMaxCloseReasonLength) {
    return std::move(done)(absl::InvalidArgumentError(
        absl::StrCat("reason: ", length, " characters is above the maximum ",
                     kMaxCloseReasonLength)));
  }
  SubmitWrite<Transitioned>(
      context,
      [&context, id = std::string(opening_id)](
          WorkingSnapshot& working) -> absl::StatusOr<Transitioned> {
        int expired = 0;
        absl::StatusOr<Transitioned> closed = Transition(
            context, working, id, OpeningAction::kClose, NoGuard,
            [&](const Opening& opening) -> absl::Status {
              // Expires the opening's pending proposals in the same
              // transaction.
              absl::StatusOr<int> count = context.store->CloseOpening(opening);
              if (!count.ok()) return count.status();
              expired = *count;
              return absl::OkStatus();
            });
        if (closed.ok()) closed->expired = expired;
        return closed;
      },
      [caller, id = std::string(opening_id), reason = std::string(reason),
       done = std::move(done)](absl::StatusOr<Transitioned> closed) mutable {
        if (!closed.ok()) return std::move(done)(closed.status());
        if (closed->changed) {  // not for a retry on a closed opening
          // Once committed. Openings hold no personal data; the caller's
          // principal and the free text of the reason stay out of the log
          // (logging/log.h).
          logging::Info("opening.closed",
                        {{"opening_id", id},
                         {"role", RoleSlug(caller.role)},
                         {"proposals_expired", closed->expired},
                         {"reason_characters", Utf8Characters(reason)}});
        }
        std::move(done)(std::move(closed->opening));
      });
}

absl::StatusOr<Opening> CloseOpening(Context& context, const Caller& caller,
                                     absl::string_view opening_id,
                                     absl::string_view reason) {
  return Await<Opening>([&](WriteDone<Opening> done) {
    CloseOpening(context, caller, opening_id, reason, std::move(done));
  });
}

absl::StatusOr<Opening> GetOpening(Context& context, const Caller& caller,
                                   absl::string_view opening_id) {
  if (absl::Status s = CheckRole(caller, kOpeningReaderRoles, kGetCall);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckId(opening_id, "opening_id"); !s.ok()) return s;
  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  absl::StatusOr<const Opening*> found =
      FindOpening(*snapshot, opening_id, "opening_id");
  if (!found.ok()) return found.status();
  return **found;
}

absl::StatusOr<OpeningPage> ListOpenings(Context& context, const Caller& caller,
                                         const OpeningFilters& filters,
                                         int page_size,
                                         absl::string_view page_token) {
  if (absl::Status s = CheckRole(caller, kOpeningReaderRoles, kListCall);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckMunicipalityCodes(
          filters.municipality_codes, "municipality_codes", *context.reference);
      !s.ok()) {
    return s;
  }
  const std::string& organisation = filters.organisation_id;
  if (!organisation.empty()) {
    if (absl::Status s = CheckId(organisation, "organisation_id"); !s.ok())
      return s;
  }
  if (page_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("page.page_size: ", page_size, " is below 1"));
  }
  const std::string fingerprint = FiltersFingerprint(filters);
  absl::string_view after;
  if (!page_token.empty()) {
    const size_t colon = page_token.find(':');
    if (colon == absl::string_view::npos || colon + 1 == page_token.size() ||
        !IdProblems(page_token.substr(colon + 1)).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("page.page_token: '", page_token.substr(0, 80),
                       "' is not a token of ListOpenings"));
    }
    if (page_token.substr(0, colon) != fingerprint) {
      return absl::InvalidArgumentError(
          "page.page_token: does not match the request's filters");
    }
    after = page_token.substr(colon + 1);
  }

  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  const auto wanted = [](const auto& filter, const auto& value) {
    return filter.empty() ||
           std::find(filter.begin(), filter.end(), value) != filter.end();
  };
  OpeningPage page;
  for (int index : snapshot->OpeningIndicesAfter(after, /*limit=*/-1)) {
    const Opening& o = snapshot->opening(index);
    if (!wanted(filters.statuses, o.status) || !wanted(filters.kinds, o.kind) ||
        !wanted(filters.municipality_codes, o.municipality_code) ||
        (!organisation.empty() && o.organisation_id != organisation)) {
      continue;
    }
    if (static_cast<int>(page.openings.size()) == page_size) {
      page.next_page_token =
          absl::StrCat(fingerprint, ":", page.openings.back().id);
      break;
    }
    page.openings.push_back(o);
  }
  return page;
}

absl::StatusOr<Candidates> CandidatesForOpening(Context& context,
                                                const Caller& caller,
                                                const CandidateQuery& request) {
  if (absl::Status s = CheckRole(caller, kOpeningWriterRoles, kCandidatesCall);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckId(request.opening_id, "opening_id"); !s.ok())
    return s;
  if (request.k < 0 || request.k > kMaxCandidates) {
    return absl::InvalidArgumentError(absl::StrCat(
        "k: ", request.k, " is above the maximum ", kMaxCandidates));
  }
  if (request.max_travel_minutes < 0 ||
      request.max_travel_minutes > kMaxTravelMinutes) {
    return absl::InvalidArgumentError(
        absl::StrCat("filters.max_travel_minutes: ", request.max_travel_minutes,
                     " is above the maximum ", kMaxTravelMinutes));
  }
  if (absl::Status s = CheckMunicipalityCodes(request.municipality_codes,
                                              "filters.municipality_codes",
                                              *context.reference);
      !s.ok()) {
    return s;
  }
  TopKQuery query;
  query.k = request.k == 0 ? kDefaultCandidates : static_cast<int>(request.k);
  query.municipalities = request.municipality_codes;
  query.context.today = SwedishDate(context.now());
  query.context.profile = context.profile;
  query.context.max_travel_minutes =
      static_cast<int>(request.max_travel_minutes);
  // A full opening is assessed as if it had a free place.
  query.context.require_free_place = false;

  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  absl::StatusOr<const Opening*> found =
      FindOpening(*snapshot, request.opening_id, "opening_id");
  if (!found.ok()) return found.status();
  if ((*found)->status == OpeningStatus::kClosed) {
    return absl::FailedPreconditionError(
        absl::StrCat("opening_id: '", request.opening_id,
                     "' is CLOSED; closed openings have no candidates"));
  }
  // A draft or a paused opening is previewed as if it were open.
  Opening assessed = **found;
  assessed.status = OpeningStatus::kOpen;

  const std::vector<RankedMatch> ranked =
      TopParticipants(*snapshot, assessed, query);
  Candidates result;
  result.candidates.reserve(ranked.size());
  std::vector<std::string> ids;
  ids.reserve(ranked.size());
  for (const RankedMatch& match : ranked) {
    const Participant& participant = snapshot->participant(match.index);
    Candidate candidate{
        .participant_id = participant.id,
        .coach_id = participant.coach_id,
        .explanation = ExplainPair(participant, assessed, snapshot->reference(),
                                   query.context)};
    // Employer-contact staff never see support needs: only the reasons
    // ReasonsForEmployer lets through are kept.
    Explanation& explanation = candidate.explanation;
    std::vector<Reason> shown;
    for (const Reason* reason :
         ReasonsForEmployer(explanation, kMaxCandidateReasons)) {
      shown.push_back(*reason);
    }
    explanation.reasons = std::move(shown);
    explanation.rules.clear();
    ids.push_back(participant.id);
    result.candidates.push_back(std::move(candidate));
  }
  result.snapshot_version = snapshot->version();
  result.profile_name = query.context.profile.name();
  result.access = AccessRecords(context, caller, kCandidatesCall, ids);
  return result;
}

absl::StatusOr<SupplyGaps> GetSupplyGaps(
    Context& context, const Caller& caller,
    const std::vector<std::string>& municipality_codes) {
  if (absl::Status s = CheckRole(caller, kOpeningReaderRoles, kGapsCall);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckMunicipalityCodes(
          municipality_codes, "municipality_codes", *context.reference);
      !s.ok()) {
    return s;
  }
  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  SupplyGaps gaps{
      .municipalities = ComputeSupplyGaps(*snapshot, SwedishDate(context.now()),
                                          municipality_codes),
      .suppression_threshold = kGapSuppressionThreshold,
      .snapshot_version = snapshot->version(),
  };
  // Support needs may be health data, even counted: employer-contact staff
  // get the same gaps as the supports that would meet them.
  if (caller.role == Role::kEmployerContact) {
    for (MunicipalityGaps& m : gaps.municipalities) m.needs.clear();
  }
  return gaps;
}

}  // namespace placement::app
