// `placement audit log`: the access log for the auditor.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "google/protobuf/util/time_util.h"
#include "placement/v1/audit_service.grpc.pb.h"

ABSL_FLAG(std::string, participant, "",
          "The participant whose access records to read");
ABSL_FLAG(std::string, principal, "",
          "The principal whose calls to read, e.g. C0136-01");
ABSL_DECLARE_FLAG(std::string, from);  // followup_commands.cc
ABSL_DECLARE_FLAG(std::string, to);

namespace placement::cli {
namespace {

const char* OutcomeText(v1::AccessOutcome outcome) {
  return outcome == v1::ACCESS_OUTCOME_DENIED ? "denied" : "allowed";
}

}  // namespace

int AuditCommand(const Channel& channel, const Args& args) {
  if (args.size() < 3 || std::string(args[2]) != "log") {
    return UsageError("audit needs log (placement audit --help)");
  }
  if (args.size() != 3) return UsageError("audit log takes no argument");
  v1::ListAccessLogRequest request;
  request.set_participant_id(absl::GetFlag(FLAGS_participant));
  request.set_principal(absl::GetFlag(FLAGS_principal));
  if (request.participant_id().empty() == request.principal().empty()) {
    return UsageError(
        "audit log needs either --participant=P or --principal=NAME");
  }
  // An empty flag leaves its bound unset (not a day 0-0-0).
  if (const std::string from = absl::GetFlag(FLAGS_from); !from.empty()) {
    if (absl::Status s = ReadDay("from", from, *request.mutable_from_date());
        !s.ok()) {
      return UsageError(std::string(s.message()));
    }
  }
  if (const std::string to = absl::GetFlag(FLAGS_to); !to.empty()) {
    if (absl::Status s = ReadDay("to", to, *request.mutable_to_date());
        !s.ok()) {
      return UsageError(std::string(s.message()));
    }
  }
  request.mutable_page()->set_page_size(500);
  auto stub = v1::AuditService::NewStub(channel);
  std::vector<std::vector<std::string>> rows;
  // Every page, newest first: the review wants the whole period.
  while (true) {
    grpc::ClientContext context;
    Prepare(context);
    v1::ListAccessLogResponse response;
    const grpc::Status status =
        stub->ListAccessLog(&context, request, &response);
    if (!status.ok()) return ReportCallError(status);
    if (absl::GetFlag(FLAGS_json)) {
      PrintJsonLines(response.records());
    } else {
      for (const v1::AccessLogRecord& r : response.records()) {
        rows.push_back(
            {google::protobuf::util::TimeUtil::ToString(r.at()).substr(0, 19),
             r.principal(), r.role(), r.call(),
             r.participant_id().empty()
                 ? (r.asked_principal().empty()
                        ? "-"
                        : absl::StrCat("principal ", r.asked_principal()))
                 : r.participant_id(),
             OutcomeText(r.outcome())});
      }
    }
    if (response.next_page_token().empty()) break;
    request.mutable_page()->set_page_token(response.next_page_token());
  }
  if (absl::GetFlag(FLAGS_json)) return kOk;
  if (rows.empty()) {
    std::printf("(no records)\n");
    return kOk;
  }
  PrintTable({"AT (UTC)", "PRINCIPAL", "ROLE", "CALL", "ABOUT", "OUTCOME"},
             rows);
  return kOk;
}

}  // namespace placement::cli
