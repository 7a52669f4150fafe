#include "service/employer_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "proto/convert.h"

namespace placement::service {
namespace {

// Opening fields an update may not name: the server maintains them, or they
// identify the record.
constexpr absl::string_view kOutputOnlyPaths[] = {"status", "places_taken",
                                                  "updated_at"};
constexpr absl::string_view kImmutablePaths[] = {"id"};

// Answers with the opening a use case returns.
absl::Status Answer(absl::StatusOr<Opening> opening, v1::Opening& response) {
  if (!opening.ok()) return opening.status();
  ToProto(*opening, response);
  return absl::OkStatus();
}

// The answer of a write: the opening as stored in `response`, once the
// write is committed, then the call finishes.
app::WriteDone<Opening> AnswerWhenCommitted(v1::Opening& response,
                                            Finish finish) {
  return [&response,
          finish = std::move(finish)](absl::StatusOr<Opening> opening) mutable {
    if (opening.ok()) ToProto(*opening, response);
    std::move(finish)(opening.status());
  };
}

// The API form of a candidate. The use case has already kept only the
// reasons an employer contact may see; support needs stay out here too.
void ToProto(app::Candidate candidate, v1::Language language,
             v1::Candidate& out) {
  v1::Match match;
  ToProto(std::move(candidate.explanation), /*include_support_needs=*/false,
          match, language);
  out.set_participant_id(std::move(candidate.participant_id));
  out.set_coach_id(std::move(candidate.coach_id));
  out.set_score(match.score());
  *out.mutable_components() = std::move(*match.mutable_components());
  *out.mutable_travel() = std::move(*match.mutable_travel());
  *out.mutable_reasons() = std::move(*match.mutable_reasons());
}

void ToProto(const GapCount& count, v1::NeedGap& out) {
  out.set_need_code(count.code);
  out.set_participants(static_cast<uint32_t>(count.participants));
  out.set_suppressed(count.suppressed);
}

void ToProto(const GapCount& count, v1::SupportGap& out) {
  out.set_support_code(count.code);
  out.set_participants(static_cast<uint32_t>(count.participants));
  out.set_suppressed(count.suppressed);
}

void ToProto(const GapCount& count, v1::FieldGap& out) {
  out.set_occupation_field(count.code);
  out.set_participants(static_cast<uint32_t>(count.participants));
  out.set_suppressed(count.suppressed);
}

}  // namespace

grpc::ServerUnaryReactor* EmployerService::PublishOpening(
    grpc::CallbackServerContext* server_context,
    const v1::PublishOpeningRequest* request, v1::Opening* response) {
  return RespondWhenCommitted(server_context, [&](Finish finish) {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context, app::kOpeningWriterRoles,
                  "EmployerService.PublishOpening");
    if (!caller.ok()) return std::move(finish)(caller.status());
    if (!request->has_opening()) {
      return std::move(finish)(absl::InvalidArgumentError("opening: required"));
    }
    // Status and places taken are output only: the use case sets them, so a
    // client's values never fail the conversion.
    v1::Opening in = request->opening();
    in.set_status(v1::OPENING_STATUS_OPEN);
    in.set_places_taken(0);
    absl::StatusOr<Opening> opening = FromProto(in, "opening");
    if (!opening.ok()) return std::move(finish)(opening.status());
    app::PublishOpening(context_, *caller,
                        {.opening = *std::move(opening),
                         .as_draft = request->as_draft(),
                         .located = in.location().has_point()},
                        AnswerWhenCommitted(*response, std::move(finish)));
  });
}

grpc::ServerUnaryReactor* EmployerService::UpdateOpening(
    grpc::CallbackServerContext* server_context,
    const v1::UpdateOpeningRequest* request, v1::Opening* response) {
  return RespondWhenCommitted(server_context, [&](Finish finish) {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context, app::kOpeningWriterRoles,
                  "EmployerService.UpdateOpening");
    if (!caller.ok()) return std::move(finish)(caller.status());
    const std::string& id = request->opening().id();
    // The id before the mask, as the API has always answered.
    if (absl::Status s = CheckId(id, "opening.id"); !s.ok()) {
      return std::move(finish)(s);
    }
    const google::protobuf::FieldMask& mask = request->update_mask();
    if (absl::Status s =
            CheckUpdateMask(mask, *v1::Opening::descriptor(), kOutputOnlyPaths,
                            kImmutablePaths, "capacity");
        !s.ok()) {
      return std::move(finish)(s);
    }
    std::vector<std::string> fields;
    for (const std::string& path : mask.paths()) {
      fields.push_back(path.substr(0, path.find('.')));
    }
    // The merge runs in the use case's write step, on the opening as
    // stored, so concurrent updates of other fields are not lost. The
    // request lives until the call finishes.
    auto edit =
        [request, fields = std::move(fields)](
            const Opening& stored) -> absl::StatusOr<app::OpeningChange> {
      v1::Opening merged;
      ToProto(stored, merged);
      MergeMasked(request->opening(), request->update_mask(), merged);
      absl::StatusOr<Opening> opening = FromProto(merged, "opening");
      if (!opening.ok()) return opening.status();
      return app::OpeningChange{.opening = *std::move(opening),
                                .located = merged.location().has_point(),
                                .fields = fields};
    };
    app::UpdateOpening(context_, *caller, id, std::move(edit),
                       AnswerWhenCommitted(*response, std::move(finish)));
  });
}

grpc::ServerUnaryReactor* EmployerService::PauseOpening(
    grpc::CallbackServerContext* server_context,
    const v1::PauseOpeningRequest* request, v1::Opening* response) {
  return RespondWhenCommitted(server_context, [&](Finish finish) {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context, app::kOpeningWriterRoles,
                  "EmployerService.PauseOpening");
    if (!caller.ok()) return std::move(finish)(caller.status());
    app::PauseOpening(context_, *caller, request->opening_id(),
                      AnswerWhenCommitted(*response, std::move(finish)));
  });
}

grpc::ServerUnaryReactor* EmployerService::ReopenOpening(
    grpc::CallbackServerContext* server_context,
    const v1::ReopenOpeningRequest* request, v1::Opening* response) {
  return RespondWhenCommitted(server_context, [&](Finish finish) {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context, app::kOpeningWriterRoles,
                  "EmployerService.ReopenOpening");
    if (!caller.ok()) return std::move(finish)(caller.status());
    app::ReopenOpening(context_, *caller, request->opening_id(),
                       AnswerWhenCommitted(*response, std::move(finish)));
  });
}

grpc::ServerUnaryReactor* EmployerService::CloseOpening(
    grpc::CallbackServerContext* server_context,
    const v1::CloseOpeningRequest* request, v1::Opening* response) {
  return RespondWhenCommitted(server_context, [&](Finish finish) {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context, app::kOpeningWriterRoles,
                  "EmployerService.CloseOpening");
    if (!caller.ok()) return std::move(finish)(caller.status());
    app::CloseOpening(context_, *caller, request->opening_id(),
                      request->reason(),
                      AnswerWhenCommitted(*response, std::move(finish)));
  });
}

grpc::ServerUnaryReactor* EmployerService::GetOpening(
    grpc::CallbackServerContext* server_context,
    const v1::GetOpeningRequest* request, v1::Opening* response) {
  return Respond(server_context, [&]() -> absl::Status {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context, app::kOpeningReaderRoles,
                  "EmployerService.GetOpening");
    if (!caller.ok()) return caller.status();
    return Answer(app::GetOpening(context_, *caller, request->opening_id()),
                  *response);
  });
}

grpc::ServerUnaryReactor* EmployerService::ListOpenings(
    grpc::CallbackServerContext* server_context,
    const v1::ListOpeningsRequest* request,
    v1::ListOpeningsResponse* response) {
  return Respond(server_context, [&]() -> absl::Status {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context, app::kOpeningReaderRoles,
                  "EmployerService.ListOpenings");
    if (!caller.ok()) return caller.status();
    app::OpeningFilters filters;
    for (int i = 0; i < request->statuses_size(); ++i) {
      absl::StatusOr<OpeningStatus> status = OpeningStatusFromProto(
          request->statuses(i), absl::StrCat("statuses[", i, "]"));
      if (!status.ok()) return status.status();
      filters.statuses.push_back(*status);
    }
    for (int i = 0; i < request->kinds_size(); ++i) {
      absl::StatusOr<OpeningKind> kind = OpeningKindFromProto(
          request->kinds(i), absl::StrCat("kinds[", i, "]"));
      if (!kind.ok()) return kind.status();
      filters.kinds.push_back(*kind);
    }
    filters.municipality_codes.assign(request->municipality_codes().begin(),
                                      request->municipality_codes().end());
    filters.organisation_id = request->organisation_id();
    absl::StatusOr<app::OpeningPage> page =
        app::ListOpenings(context_, *caller, filters, PageSize(request->page()),
                          request->page().page_token());
    if (!page.ok()) return page.status();
    for (const Opening& opening : page->openings) {
      ToProto(opening, *response->add_openings());
    }
    response->set_next_page_token(std::move(page->next_page_token));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* EmployerService::SuggestCandidates(
    grpc::CallbackServerContext* server_context,
    const v1::SuggestCandidatesRequest* request,
    v1::SuggestCandidatesResponse* response) {
  return RespondWhenLogged(
      context_, server_context, [&](std::vector<store::AccessRecord>& to_log) {
        return Suggest(*server_context, *request, *response, to_log);
      });
}

grpc::ServerUnaryReactor* EmployerService::GetSupplyGaps(
    grpc::CallbackServerContext* server_context,
    const v1::GetSupplyGapsRequest* request,
    v1::GetSupplyGapsResponse* response) {
  return Respond(server_context, [&]() -> absl::Status {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context, app::kOpeningReaderRoles,
                  "EmployerService.GetSupplyGaps");
    if (!caller.ok()) return caller.status();
    absl::StatusOr<app::SupplyGaps> gaps = app::GetSupplyGaps(
        context_, *caller,
        std::vector<std::string>(request->municipality_codes().begin(),
                                 request->municipality_codes().end()));
    if (!gaps.ok()) return gaps.status();
    for (const MunicipalityGaps& m : gaps->municipalities) {
      v1::MunicipalitySupplyGaps* out = response->add_municipalities();
      out->set_municipality_code(m.municipality_code);
      out->set_free_places(static_cast<uint32_t>(m.free_places));
      for (const GapCount& need : m.needs) {
        ToProto(need, *out->add_need_gaps());
      }
      for (const GapCount& field : m.fields) {
        ToProto(field, *out->add_field_gaps());
      }
      for (const GapCount& support : m.supports) {
        ToProto(support, *out->add_support_gaps());
      }
    }
    response->set_suppression_threshold(gaps->suppression_threshold);
    response->set_snapshot_version(gaps->snapshot_version);
    return absl::OkStatus();
  });
}

absl::Status EmployerService::Suggest(
    const grpc::CallbackServerContext& server_context,
    const v1::SuggestCandidatesRequest& request,
    v1::SuggestCandidatesResponse& response,
    std::vector<store::AccessRecord>& to_log) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, app::kOpeningWriterRoles,
                "EmployerService.SuggestCandidates");
  if (!caller.ok()) return caller.status();
  if (absl::Status s = CheckLanguage(request.language(), "language"); !s.ok())
    return s;
  const v1::CandidateFilters& filters = request.filters();
  app::CandidateQuery query;
  query.opening_id = request.opening_id();
  query.k = request.k();
  query.municipality_codes.assign(filters.municipality_codes().begin(),
                                  filters.municipality_codes().end());
  query.max_travel_minutes = filters.max_travel_minutes();
  absl::StatusOr<app::Candidates> candidates =
      app::CandidatesForOpening(context_, *caller, query);
  if (!candidates.ok()) return candidates.status();
  // The answer leaves once these records are on disk (RespondWhenLogged).
  to_log = std::move(candidates->access);
  for (app::Candidate& candidate : candidates->candidates) {
    ToProto(std::move(candidate), request.language(),
            *response.add_candidates());
  }
  response.set_snapshot_version(candidates->snapshot_version);
  response.set_profile_name(std::move(candidates->profile_name));
  return absl::OkStatus();
}

}  // namespace placement::service
