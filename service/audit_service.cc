#include "service/audit_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "app/audit.h"
#include "google/protobuf/util/time_util.h"

namespace placement::service {
namespace {

Date DateOf(const v1::Date& date) {
  return Date{.year = static_cast<int>(date.year()),
              .month = static_cast<int>(date.month()),
              .day = static_cast<int>(date.day())};
}

// INVALID_ARGUMENT naming `field` unless `date` is a real calendar day.
absl::Status CheckDate(const v1::Date& date, absl::string_view field) {
  const Date day = DateOf(date);
  const absl::CivilDay civil(day.year, day.month, day.day);
  if (date.year() < 2000 || date.year() > 2100 || civil.year() != day.year ||
      civil.month() != day.month || civil.day() != day.day) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", date.year(), "-", date.month(), "-",
                     date.day(), " is not a calendar day (2000..2100)"));
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* AuditService::ListAccessLog(
    grpc::CallbackServerContext* server_context,
    const v1::ListAccessLogRequest* request,
    v1::ListAccessLogResponse* response) {
  return RespondWhenLogged(
      context_, server_context,
      [&](std::vector<store::AccessRecord>& to_log) -> absl::Status {
        absl::StatusOr<Caller> caller =
            Authorize(context_, *server_context, {Role::kAuditor},
                      app::kListAccessLogCall);
        if (!caller.ok()) return caller.status();
        app::AccessLogRequest query{.participant_id = request->participant_id(),
                                    .principal = request->principal(),
                                    .page_size = PageSize(request->page()),
                                    .page_token = request->page().page_token()};
        if (request->has_from_date()) {
          if (absl::Status s = CheckDate(request->from_date(), "from_date");
              !s.ok())
            return s;
          query.from = DateOf(request->from_date());
        }
        if (request->has_to_date()) {
          if (absl::Status s = CheckDate(request->to_date(), "to_date");
              !s.ok())
            return s;
          query.to = DateOf(request->to_date());
        }
        absl::StatusOr<app::AccessLogPage> page =
            app::ListAccessLog(context_, *caller, query);
        if (!page.ok()) return page.status();
        for (const store::AccessRecord& record : page->records) {
          v1::AccessLogRecord& out = *response->add_records();
          *out.mutable_at() =
              google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
                  absl::ToUnixMicros(record.at));
          out.set_principal(record.actor);
          out.set_role(record.role);
          out.set_call(record.call);
          out.set_participant_id(record.participant_id);
          out.set_outcome(record.outcome == store::AccessOutcome::kDenied
                              ? v1::ACCESS_OUTCOME_DENIED
                              : v1::ACCESS_OUTCOME_ALLOWED);
          out.set_asked_principal(record.asked_principal);
        }
        response->set_next_page_token(std::move(page->next_page_token));
        to_log = std::move(page->access);
        return absl::OkStatus();
      });
}

}  // namespace placement::service
