#include "app/audit.h"

#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace placement::app {
namespace {

std::string DateText(const Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year, date.month, date.day);
}

}  // namespace

absl::StatusOr<AccessLogPage> ListAccessLog(Context& context,
                                            const Caller& caller,
                                            const AccessLogRequest& request) {
  if (absl::Status s = CheckRole(caller, {Role::kAuditor}, kListAccessLogCall);
      !s.ok()) {
    return s;
  }
  if (request.participant_id.empty() == request.principal.empty()) {
    return absl::InvalidArgumentError(
        request.participant_id.empty()
            ? "participant_id or principal: required; name the participant "
              "or the principal whose records to read"
            : "participant_id and principal: name one of them, not both");
  }
  if (!request.participant_id.empty()) {
    if (absl::Status s = CheckId(request.participant_id, "participant_id");
        !s.ok()) {
      return s;
    }
  } else if (Utf8Characters(request.principal) > 64) {
    return absl::InvalidArgumentError("principal: longer than 64 characters");
  }
  if (request.from && request.to && *request.to < *request.from) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_date: ", DateText(*request.to),
                     " is before from_date ", DateText(*request.from)));
  }
  if (request.page_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("page.page_size: ", request.page_size, " is below 1"));
  }
  int64_t before_id = 0;
  if (!request.page_token.empty() &&
      (!absl::SimpleAtoi(request.page_token, &before_id) || before_id < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("page.page_token: '", request.page_token.substr(0, 40),
                     "' is not a token this call gave"));
  }
  store::AccessLogQuery query{.participant_id = request.participant_id,
                              .principal = request.principal,
                              .before_id = before_id,
                              .limit = request.page_size + 1};
  if (request.from) query.from = SwedishStartOfDay(*request.from);
  if (request.to) {
    const absl::CivilDay next =
        absl::CivilDay(request.to->year, request.to->month, request.to->day) +
        1;
    query.until = SwedishStartOfDay(Date{.year = static_cast<int>(next.year()),
                                         .month = next.month(),
                                         .day = next.day()});
  }
  absl::StatusOr<std::vector<store::AccessLogEntry>> entries =
      context.store->ListAccessLog(query);
  if (!entries.ok()) return entries.status();
  AccessLogPage page;
  const bool more = static_cast<int>(entries->size()) > request.page_size;
  if (more) entries->resize(request.page_size);
  if (more) page.next_page_token = absl::StrCat(entries->back().id);
  page.records.reserve(entries->size());
  for (store::AccessLogEntry& entry : *entries) {
    page.records.push_back(std::move(entry.record));
  }
  page.access = AccessRecords(context, caller, kListAccessLogCall,
                              {request.participant_id});
  page.access.front().asked_principal = request.principal;
  return page;
}

store::AccessRecord DenialRecord(const Context& context, const Caller& caller,
                                 absl::string_view call,
                                 absl::string_view participant_id) {
  return store::AccessRecord{.at = context.now(),
                             .actor = caller.principal,
                             .role = std::string(RoleSlug(caller.role)),
                             .call = std::string(call),
                             .participant_id = std::string(participant_id),
                             .outcome = store::AccessOutcome::kDenied};
}

absl::StatusOr<store::PurgeCounts> PurgeExpiredRecords(Context& context) {
  if (context.store == nullptr) return store::PurgeCounts{};
  if (absl::Status s = CheckRetentionPolicy(context.retention); !s.ok()) {
    return s;
  }
  return context.store->PurgeExpired(
      RetentionCutoffsAt(context.retention, context.now()));
}

}  // namespace placement::app
