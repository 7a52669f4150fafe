#include "service/employer_service.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/opening_lifecycle.h"
#include "engine/opening_rules.h"
#include "engine/supply_gaps.h"
#include "proto/convert.h"

namespace placement::service {
namespace {

// Opening fields an update may not name: the server maintains them, or they
// identify the record.
constexpr absl::string_view kOutputOnlyPaths[] = {"status", "places_taken",
                                                  "updated_at"};
constexpr absl::string_view kImmutablePaths[] = {"id"};

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

bool HasEnded(const Opening& opening, const Date& today) {
  return AvailabilityOn(opening, today).ended;
}

// Every rule an opening must satisfy to be stored or published, with proto
// paths under "opening". places_taken is the server's, never the caller's
// mistake, so its check is left to the FAILED_PRECONDITION on capacity.
// The API requires a title (CSV imports may leave it empty), checked when
// `require_title`.
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
  return app::OpeningProblems(problems, "opening");
}

// Unset coordinates: the municipality's main town stands in.
void FillLocation(const v1::Opening& in, const ReferenceData& reference,
                  Opening& opening) {
  if (in.location().has_point()) return;
  if (std::optional<int> m =
          reference.municipalities.Find(opening.municipality_code)) {
    opening.location = reference.municipalities.all()[*m].centre;
  }
}

absl::Status CheckMunicipalityCodes(
    const google::protobuf::RepeatedPtrField<std::string>& codes,
    absl::string_view path, const ReferenceData& reference,
    std::vector<std::string>& out) {
  if (codes.size() > EmployerService::kMaxMunicipalityCodes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", codes.size(), " entries is above the maximum ",
                     EmployerService::kMaxMunicipalityCodes));
  }
  for (int i = 0; i < codes.size(); ++i) {
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
    out.push_back(code);
  }
  return absl::OkStatus();
}

// A page token is "<filters fingerprint>:<last id of the page>", so a token
// is refused with other filters. FNV-1a: stable across processes and builds.
std::string FiltersFingerprint(const v1::ListOpeningsRequest& request) {
  std::vector<int> statuses(request.statuses().begin(),
                            request.statuses().end());
  std::vector<int> kinds(request.kinds().begin(), request.kinds().end());
  std::vector<std::string> codes(request.municipality_codes().begin(),
                                 request.municipality_codes().end());
  std::sort(statuses.begin(), statuses.end());
  std::sort(kinds.begin(), kinds.end());
  std::sort(codes.begin(), codes.end());
  const std::string canonical = absl::StrCat(
      absl::StrJoin(statuses, ","), "|", absl::StrJoin(kinds, ","), "|",
      absl::StrJoin(codes, ","), "|", request.organisation_id());
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : canonical) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return absl::StrFormat("%016x", hash);
}

// The employer-contact view of one pair: no SUPPORT reason and nothing that
// mentions support needs, whatever the engine says.
void ToCandidate(const Explanation& explanation, const Participant& participant,
                 v1::Language language, v1::Candidate& out) {
  constexpr size_t kMaxReasons = 10;
  v1::Match match;
  ToProto(explanation, /*include_support_needs=*/false, match, language);
  out.set_participant_id(participant.id);
  out.set_coach_id(participant.coach_id);
  out.set_score(match.score());
  *out.mutable_components() = match.components();
  *out.mutable_travel() = match.travel();
  for (const Reason* reason : ReasonsForEmployer(explanation, kMaxReasons)) {
    ToProto(explanation, *reason, language, *out.add_reasons());
  }
}

}  // namespace

grpc::ServerUnaryReactor* EmployerService::PublishOpening(
    grpc::CallbackServerContext* server_context,
    const v1::PublishOpeningRequest* request, v1::Opening* response) {
  return Respond(server_context,
                 [&] { return Publish(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* EmployerService::UpdateOpening(
    grpc::CallbackServerContext* server_context,
    const v1::UpdateOpeningRequest* request, v1::Opening* response) {
  return Respond(server_context,
                 [&] { return Update(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* EmployerService::PauseOpening(
    grpc::CallbackServerContext* server_context,
    const v1::PauseOpeningRequest* request, v1::Opening* response) {
  return Respond(server_context,
                 [&] { return Pause(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* EmployerService::ReopenOpening(
    grpc::CallbackServerContext* server_context,
    const v1::ReopenOpeningRequest* request, v1::Opening* response) {
  return Respond(server_context,
                 [&] { return Reopen(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* EmployerService::CloseOpening(
    grpc::CallbackServerContext* server_context,
    const v1::CloseOpeningRequest* request, v1::Opening* response) {
  return Respond(server_context,
                 [&] { return Close(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* EmployerService::GetOpening(
    grpc::CallbackServerContext* server_context,
    const v1::GetOpeningRequest* request, v1::Opening* response) {
  return Respond(server_context,
                 [&] { return Get(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* EmployerService::ListOpenings(
    grpc::CallbackServerContext* server_context,
    const v1::ListOpeningsRequest* request,
    v1::ListOpeningsResponse* response) {
  return Respond(server_context,
                 [&] { return List(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* EmployerService::SuggestCandidates(
    grpc::CallbackServerContext* server_context,
    const v1::SuggestCandidatesRequest* request,
    v1::SuggestCandidatesResponse* response) {
  return Respond(server_context,
                 [&] { return Suggest(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* EmployerService::GetSupplyGaps(
    grpc::CallbackServerContext* server_context,
    const v1::GetSupplyGapsRequest* request,
    v1::GetSupplyGapsResponse* response) {
  return Respond(server_context,
                 [&] { return Gaps(*server_context, *request, *response); });
}

absl::Status EmployerService::Commit(const Opening& opening) {
  if (absl::Status s = context_.store->UpsertOpenings({opening}); !s.ok()) {
    return s;
  }
  ShowInSnapshot(opening);
  return absl::OkStatus();
}

void EmployerService::ShowInSnapshot(const Opening& opening) {
  context_.snapshots->Update(
      [&](const std::shared_ptr<const Snapshot>& snapshot) {
        return snapshot->WithOpening(opening);
      });
}

absl::Status EmployerService::Publish(
    const grpc::CallbackServerContext& server_context,
    const v1::PublishOpeningRequest& request, v1::Opening& response) {
  constexpr absl::string_view kCall = "EmployerService.PublishOpening";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kEmployerContact, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  if (!request.has_opening()) {
    return absl::InvalidArgumentError("opening: required");
  }
  // Output-only fields are the server's.
  v1::Opening in = request.opening();
  in.set_places_taken(0);
  in.set_status(request.as_draft() ? v1::OPENING_STATUS_DRAFT
                                   : v1::OPENING_STATUS_OPEN);
  in.clear_updated_at();
  const bool assign_id = in.id().empty();
  // A stand-in that passes the id rules until the real id is assigned.
  if (assign_id) in.set_id("O000000");
  absl::StatusOr<Opening> opening = FromProto(in, "opening");
  if (!opening.ok()) return opening.status();
  FillLocation(in, *context_.reference, *opening);
  if (absl::Status s = ValidateOpening(*opening, *context_.reference,
                                       /*require_title=*/true);
      !s.ok()) {
    return s;
  }
  const Date today = app::SwedishDate(context_.now());
  if (HasEnded(*opening, today)) {
    return absl::InvalidArgumentError(
        absl::StrCat("opening.end_date: ", FormatDate(*opening->end_date),
                     " has passed (today is ", FormatDate(today), ")"));
  }
  {
    MutexLock lock(&context_.write_mutex);
    std::shared_ptr<const Snapshot> current = context_.snapshots->Current();
    if (assign_id) {
      // The store picks the id and writes in one transaction.
      absl::StatusOr<Opening> stored =
          context_.store->InsertNewOpening(*std::move(opening));
      if (!stored.ok()) return stored.status();
      opening = *std::move(stored);
      ShowInSnapshot(*opening);
    } else if (current->FindOpening(opening->id)) {
      return absl::AlreadyExistsError(
          absl::StrCat("opening.id: '", opening->id, "' is already used"));
    } else if (absl::Status s = Commit(*opening); !s.ok()) {
      return s;
    }
  }
  ToProto(*opening, response);
  return absl::OkStatus();
}

absl::Status EmployerService::Update(
    const grpc::CallbackServerContext& server_context,
    const v1::UpdateOpeningRequest& request, v1::Opening& response) {
  constexpr absl::string_view kCall = "EmployerService.UpdateOpening";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kEmployerContact, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  const std::string& id = request.opening().id();
  if (absl::Status s = CheckId(id, "opening.id"); !s.ok()) return s;
  if (absl::Status s =
          CheckUpdateMask(request.update_mask(), *v1::Opening::descriptor(),
                          kOutputOnlyPaths, kImmutablePaths, "capacity");
      !s.ok()) {
    return s;
  }
  bool title_named = false;
  bool end_date_named = false;
  for (const std::string& path : request.update_mask().paths()) {
    const absl::string_view top =
        absl::string_view(path).substr(0, path.find('.'));
    title_named = title_named || top == "title";
    end_date_named = end_date_named || top == "end_date";
  }
  const Date today = app::SwedishDate(context_.now());

  MutexLock lock(&context_.write_mutex);
  std::shared_ptr<const Snapshot> current = context_.snapshots->Current();
  absl::StatusOr<const Opening*> stored =
      FindOpening(*current, id, "opening.id");
  if (!stored.ok()) return stored.status();
  if (absl::StatusOr<OpeningStatus> next =
          NextOpeningStatus((*stored)->status, OpeningAction::kEdit,
                            absl::StrCat("opening.id: '", id, "'"));
      !next.ok()) {
    return next.status();
  }
  v1::Opening merged;
  ToProto(**stored, merged);
  MergeMasked(request.opening(), request.update_mask(), merged);
  absl::StatusOr<Opening> opening = FromProto(merged, "opening");
  if (!opening.ok()) return opening.status();
  FillLocation(merged, *context_.reference, *opening);
  if (absl::Status s = ValidateOpening(*opening, *context_.reference,
                                       /*require_title=*/title_named);
      !s.ok()) {
    return s;
  }
  if (end_date_named && HasEnded(*opening, today)) {
    return absl::InvalidArgumentError(
        absl::StrCat("opening.end_date: ", FormatDate(*opening->end_date),
                     " has passed (today is ", FormatDate(today), ")"));
  }
  if (opening->capacity < opening->places_taken) {
    return absl::FailedPreconditionError(
        absl::StrCat("opening.capacity: ", opening->capacity,
                     " is below places_taken ", opening->places_taken));
  }
  if (*opening != **stored) {
    if (absl::Status s = Commit(*opening); !s.ok()) return s;
  }
  ToProto(*opening, response);
  return absl::OkStatus();
}

absl::Status EmployerService::Pause(
    const grpc::CallbackServerContext& server_context,
    const v1::PauseOpeningRequest& request, v1::Opening& response) {
  constexpr absl::string_view kCall = "EmployerService.PauseOpening";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kEmployerContact, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  const std::string& id = request.opening_id();
  if (absl::Status s = CheckId(id, "opening_id"); !s.ok()) return s;

  MutexLock lock(&context_.write_mutex);
  std::shared_ptr<const Snapshot> current = context_.snapshots->Current();
  absl::StatusOr<const Opening*> stored =
      FindOpening(*current, id, "opening_id");
  if (!stored.ok()) return stored.status();
  Opening opening = **stored;
  absl::StatusOr<OpeningStatus> next =
      NextOpeningStatus(opening.status, OpeningAction::kPause,
                        absl::StrCat("opening_id: '", id, "'"));
  if (!next.ok()) return next.status();
  if (*next != opening.status) {
    opening.status = *next;
    if (absl::Status s = Commit(opening); !s.ok()) return s;
  }
  ToProto(opening, response);
  return absl::OkStatus();
}

absl::Status EmployerService::Reopen(
    const grpc::CallbackServerContext& server_context,
    const v1::ReopenOpeningRequest& request, v1::Opening& response) {
  constexpr absl::string_view kCall = "EmployerService.ReopenOpening";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kEmployerContact, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  const std::string& id = request.opening_id();
  if (absl::Status s = CheckId(id, "opening_id"); !s.ok()) return s;
  const Date today = app::SwedishDate(context_.now());

  MutexLock lock(&context_.write_mutex);
  std::shared_ptr<const Snapshot> current = context_.snapshots->Current();
  absl::StatusOr<const Opening*> stored =
      FindOpening(*current, id, "opening_id");
  if (!stored.ok()) return stored.status();
  Opening opening = **stored;
  absl::StatusOr<OpeningStatus> next =
      NextOpeningStatus(opening.status, OpeningAction::kReopen,
                        absl::StrCat("opening_id: '", id, "'"));
  if (!next.ok()) return next.status();
  if (*next != opening.status) {
    if (HasEnded(opening, today)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "opening_id: '", id, "' has end_date ", FormatDate(*opening.end_date),
          ", which has passed (today is ", FormatDate(today),
          "); update end_date first"));
    }
    if (opening.status == OpeningStatus::kDraft) {
      // A draft may have been imported incomplete; publish only whole ones.
      if (absl::Status s = ValidateOpening(opening, *context_.reference,
                                           /*require_title=*/true);
          !s.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "opening_id: '", id, "' is an incomplete draft: ", s.message()));
      }
    }
    opening.status = *next;
    if (absl::Status s = Commit(opening); !s.ok()) return s;
  }
  ToProto(opening, response);
  return absl::OkStatus();
}

absl::Status EmployerService::Close(
    const grpc::CallbackServerContext& server_context,
    const v1::CloseOpeningRequest& request, v1::Opening& response) {
  constexpr absl::string_view kCall = "EmployerService.CloseOpening";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kEmployerContact, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  const std::string& id = request.opening_id();
  if (absl::Status s = CheckId(id, "opening_id"); !s.ok()) return s;
  if (const size_t length = app::Utf8Characters(request.reason());
      length > kMaxCloseReasonCharacters) {
    return absl::InvalidArgumentError(
        absl::StrCat("reason: ", length, " characters is above the maximum ",
                     kMaxCloseReasonCharacters));
  }

  Opening opening;
  int expired = 0;
  {
    MutexLock lock(&context_.write_mutex);
    std::shared_ptr<const Snapshot> current = context_.snapshots->Current();
    absl::StatusOr<const Opening*> stored =
        FindOpening(*current, id, "opening_id");
    if (!stored.ok()) return stored.status();
    opening = **stored;
    absl::StatusOr<OpeningStatus> next =
        NextOpeningStatus(opening.status, OpeningAction::kClose,
                          absl::StrCat("opening_id: '", id, "'"));
    if (!next.ok()) return next.status();
    if (*next == opening.status) {  // closed already: a retry
      ToProto(opening, response);
      return absl::OkStatus();
    }
    opening.status = *next;
    absl::StatusOr<int> closed = context_.store->CloseOpening(opening);
    if (!closed.ok()) return closed.status();
    expired = *closed;
    context_.snapshots->Update(
        [&](const std::shared_ptr<const Snapshot>& snapshot) {
          return snapshot->WithOpening(opening);
        });
  }
  // The audit line: openings hold no personal data, and the reason is
  // escaped so it cannot forge log lines.
  std::printf(
      "audit: %s %s by %s (%s); %d pending proposal(s) expired; "
      "reason \"%s\"\n",
      std::string(kCall).c_str(), id.c_str(), caller->principal.c_str(),
      std::string(RoleSlug(caller->role)).c_str(), expired,
      absl::CHexEscape(request.reason()).c_str());
  std::fflush(stdout);
  ToProto(opening, response);
  return absl::OkStatus();
}

absl::Status EmployerService::Get(
    const grpc::CallbackServerContext& server_context,
    const v1::GetOpeningRequest& request, v1::Opening& response) {
  constexpr absl::string_view kCall = "EmployerService.GetOpening";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context,
      {Role::kEmployerContact, Role::kCoach, Role::kOperator, Role::kAdmin},
      kCall);
  if (!caller.ok()) return caller.status();
  if (absl::Status s = CheckId(request.opening_id(), "opening_id"); !s.ok())
    return s;
  std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
  absl::StatusOr<const Opening*> found =
      FindOpening(*snapshot, request.opening_id(), "opening_id");
  if (!found.ok()) return found.status();
  ToProto(**found, response);
  return absl::OkStatus();
}

absl::Status EmployerService::List(
    const grpc::CallbackServerContext& server_context,
    const v1::ListOpeningsRequest& request,
    v1::ListOpeningsResponse& response) {
  constexpr absl::string_view kCall = "EmployerService.ListOpenings";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context,
      {Role::kEmployerContact, Role::kCoach, Role::kOperator, Role::kAdmin},
      kCall);
  if (!caller.ok()) return caller.status();
  std::vector<OpeningStatus> statuses;
  for (int i = 0; i < request.statuses_size(); ++i) {
    absl::StatusOr<OpeningStatus> status = OpeningStatusFromProto(
        request.statuses(i), absl::StrCat("statuses[", i, "]"));
    if (!status.ok()) return status.status();
    statuses.push_back(*status);
  }
  std::vector<OpeningKind> kinds;
  for (int i = 0; i < request.kinds_size(); ++i) {
    absl::StatusOr<OpeningKind> kind =
        OpeningKindFromProto(request.kinds(i), absl::StrCat("kinds[", i, "]"));
    if (!kind.ok()) return kind.status();
    kinds.push_back(*kind);
  }
  std::vector<std::string> municipalities;
  if (absl::Status s = CheckMunicipalityCodes(
          request.municipality_codes(), "municipality_codes",
          *context_.reference, municipalities);
      !s.ok()) {
    return s;
  }
  const std::string& organisation = request.organisation_id();
  if (!organisation.empty()) {
    if (absl::Status s = CheckId(organisation, "organisation_id"); !s.ok())
      return s;
  }
  // As common.proto says: 0 means the default, and larger sizes are capped.
  const uint32_t page_size =
      request.page().page_size() == 0
          ? kDefaultPageSize
          : std::min(request.page().page_size(), kMaxPageSize);
  const std::string fingerprint = FiltersFingerprint(request);
  std::string after;
  if (const std::string& token = request.page().page_token(); !token.empty()) {
    const size_t colon = token.find(':');
    if (colon == std::string::npos || colon + 1 == token.size() ||
        !IdProblems(absl::string_view(token).substr(colon + 1)).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("page.page_token: '", token.substr(0, 80),
                       "' is not a token of ListOpenings"));
    }
    if (token.substr(0, colon) != fingerprint) {
      return absl::InvalidArgumentError(
          "page.page_token: does not match the request's filters");
    }
    after = token.substr(colon + 1);
  }

  std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
  int index = 0;
  if (!after.empty()) {
    // Openings are in id order: start after the previous page's last id.
    int low = 0;
    int high = snapshot->opening_count();
    while (low < high) {
      const int middle = low + (high - low) / 2;
      if (snapshot->opening(middle).id <= after) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    index = low;
  }
  auto wanted = [](const auto& filter, const auto& value) {
    return filter.empty() ||
           std::find(filter.begin(), filter.end(), value) != filter.end();
  };
  for (; index < snapshot->opening_count(); ++index) {
    const Opening& o = snapshot->opening(index);
    if (!wanted(statuses, o.status) || !wanted(kinds, o.kind) ||
        !wanted(municipalities, o.municipality_code) ||
        (!organisation.empty() && o.organisation_id != organisation)) {
      continue;
    }
    if (static_cast<uint32_t>(response.openings_size()) == page_size) {
      response.set_next_page_token(
          absl::StrCat(fingerprint, ":",
                       response.openings(response.openings_size() - 1).id()));
      break;
    }
    ToProto(o, *response.add_openings());
  }
  return absl::OkStatus();
}

absl::Status EmployerService::Suggest(
    const grpc::CallbackServerContext& server_context,
    const v1::SuggestCandidatesRequest& request,
    v1::SuggestCandidatesResponse& response) {
  constexpr absl::string_view kCall = "EmployerService.SuggestCandidates";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kEmployerContact, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  if (absl::Status s = CheckId(request.opening_id(), "opening_id"); !s.ok())
    return s;
  if (request.k() > kMaxK) {
    return absl::InvalidArgumentError(
        absl::StrCat("k: ", request.k(), " is above the maximum ", kMaxK));
  }
  if (absl::Status s = CheckLanguage(request.language(), "language"); !s.ok())
    return s;
  TopKQuery query;
  query.k = static_cast<int>(request.k() == 0 ? kDefaultK : request.k());
  const v1::CandidateFilters& filters = request.filters();
  if (filters.max_travel_minutes() > static_cast<uint32_t>(kMaxTravelMinutes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "filters.max_travel_minutes: ", filters.max_travel_minutes(),
        " is above the maximum ", kMaxTravelMinutes));
  }
  if (absl::Status s = CheckMunicipalityCodes(
          filters.municipality_codes(), "filters.municipality_codes",
          *context_.reference, query.municipalities);
      !s.ok()) {
    return s;
  }
  query.context.today = app::SwedishDate(context_.now());
  query.context.profile = context_.profile;
  query.context.max_travel_minutes =
      static_cast<int>(filters.max_travel_minutes());
  // A full opening is assessed as if it had a free place.
  query.context.require_free_place = false;

  std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
  absl::StatusOr<const Opening*> found =
      FindOpening(*snapshot, request.opening_id(), "opening_id");
  if (!found.ok()) return found.status();
  if ((*found)->status == OpeningStatus::kClosed) {
    return absl::FailedPreconditionError(
        absl::StrCat("opening_id: '", request.opening_id(),
                     "' is CLOSED; closed openings have no candidates"));
  }
  // A draft or a paused opening is previewed as if it were open.
  Opening assessed = **found;
  assessed.status = OpeningStatus::kOpen;

  const std::vector<RankedMatch> ranked =
      TopParticipants(*snapshot, assessed, query);
  std::vector<std::string> ids;
  ids.reserve(ranked.size());
  for (const RankedMatch& match : ranked) {
    ids.push_back(snapshot->participant(match.index).id);
  }
  if (absl::Status s = LogAccess(context_, *caller, kCall, ids); !s.ok())
    return s;
  for (const RankedMatch& match : ranked) {
    const Participant& participant = snapshot->participant(match.index);
    ToCandidate(ExplainPair(participant, assessed, snapshot->reference(),
                            query.context),
                participant, request.language(), *response.add_candidates());
  }
  response.set_snapshot_version(snapshot->version());
  response.set_profile_name(query.context.profile.name());
  return absl::OkStatus();
}

absl::Status EmployerService::Gaps(
    const grpc::CallbackServerContext& server_context,
    const v1::GetSupplyGapsRequest& request,
    v1::GetSupplyGapsResponse& response) {
  constexpr absl::string_view kCall = "EmployerService.GetSupplyGaps";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context,
      {Role::kEmployerContact, Role::kCoach, Role::kOperator, Role::kAdmin},
      kCall);
  if (!caller.ok()) return caller.status();
  std::vector<std::string> municipalities;
  if (absl::Status s = CheckMunicipalityCodes(
          request.municipality_codes(), "municipality_codes",
          *context_.reference, municipalities);
      !s.ok()) {
    return s;
  }
  std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
  const std::vector<MunicipalityGaps> gaps = ComputeSupplyGaps(
      *snapshot, app::SwedishDate(context_.now()), municipalities);
  for (const MunicipalityGaps& m : gaps) {
    v1::MunicipalitySupplyGaps* out = response.add_municipalities();
    out->set_municipality_code(m.municipality_code);
    out->set_free_places(static_cast<uint32_t>(m.free_places));
    for (const GapCount& need : m.needs) {
      v1::NeedGap* gap = out->add_need_gaps();
      gap->set_need_code(need.code);
      gap->set_participants(static_cast<uint32_t>(need.participants));
      gap->set_suppressed(need.suppressed);
    }
    for (const GapCount& field : m.fields) {
      v1::FieldGap* gap = out->add_field_gaps();
      gap->set_occupation_field(field.code);
      gap->set_participants(static_cast<uint32_t>(field.participants));
      gap->set_suppressed(field.suppressed);
    }
  }
  response.set_suppression_threshold(kGapSuppressionThreshold);
  response.set_snapshot_version(snapshot->version());
  return absl::OkStatus();
}

}  // namespace placement::service
