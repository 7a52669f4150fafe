// AuditService and the access log end to end, on a real placement-server:
// a coach's read, an employer's refusal and the auditor's own reads appear
// in the log; refusals do not tell whether a participant exists; retention
// is applied at start and refused below the AI Act's minimum; `placement
// audit log` reads the same log.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "store/store.h"
#include "tests/testing/running_server.h"
#include "tests/testing/subprocess.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::DataDir;
using ::placement::testing::kAdminToken;
using ::placement::testing::kAuditorPrincipal;
using ::placement::testing::kAuditorToken;
using ::placement::testing::kCoachPrincipal;
using ::placement::testing::kCoachToken;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOtherCoachToken;
using ::placement::testing::RunAndCapture;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::testing::HasSubstr;

std::string OwnParticipant(const RunningServer& server) {
  v1::ListParticipantsRequest request;
  request.mutable_page()->set_page_size(1);
  v1::ListParticipantsResponse response;
  EXPECT_TRUE(
      v1::ParticipantRegistry::NewStub(server.channel())
          ->ListParticipants(CallAs(kCoachToken).get(), request, &response)
          .ok());
  return response.participants_size() > 0 ? response.participants(0).id() : "";
}

grpc::Status GetParticipant(const RunningServer& server,
                            const std::string& token, const std::string& id) {
  v1::GetParticipantRequest request;
  request.set_participant_id(id);
  v1::Participant participant;
  return v1::ParticipantRegistry::NewStub(server.channel())
      ->GetParticipant(CallAs(token).get(), request, &participant);
}

v1::ListAccessLogResponse ReadLog(const RunningServer& server,
                                  const std::string& participant,
                                  const std::string& principal = "") {
  v1::ListAccessLogRequest request;
  request.set_participant_id(participant);
  request.set_principal(principal);
  v1::ListAccessLogResponse response;
  const grpc::Status status =
      v1::AuditService::NewStub(server.channel())
          ->ListAccessLog(CallAs(kAuditorToken).get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

std::string Describe(const v1::AccessLogRecord& r) {
  return absl::StrCat(
      r.principal(), " ", r.role(), " ", r.call(), " ", r.participant_id(), " ",
      r.outcome() == v1::ACCESS_OUTCOME_DENIED ? "denied" : "allowed",
      r.asked_principal().empty() ? "" : " about ", r.asked_principal());
}

std::vector<std::string> Described(const v1::ListAccessLogResponse& log) {
  std::vector<std::string> lines;
  for (const v1::AccessLogRecord& r : log.records()) {
    lines.push_back(Describe(r));
  }
  return lines;
}

TEST(AuditApiTest, TheAuditorSeesReadsRefusalsAndTheirOwnReads) {
  ScratchDir scratch;
  RunningServer server(scratch);
  const std::string p = OwnParticipant(server);
  ASSERT_FALSE(p.empty());
  ASSERT_TRUE(GetParticipant(server, kCoachToken, p).ok());
  const grpc::Status refused = GetParticipant(server, kEmployerToken, p);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Newest first: the refusal, the read, the listing that named p.
  const v1::ListAccessLogResponse first = ReadLog(server, p);
  EXPECT_THAT(Described(first),
              ::testing::ElementsAre(
                  absl::StrCat("EC-0001 employer_contact "
                               "ParticipantRegistry.GetParticipant ",
                               p, " denied"),
                  absl::StrCat(kCoachPrincipal,
                               " coach ParticipantRegistry.GetParticipant ", p,
                               " allowed"),
                  absl::StrCat(kCoachPrincipal,
                               " coach ParticipantRegistry.ListParticipants ",
                               p, " allowed")));
  ASSERT_GT(first.records_size(), 0);
  EXPECT_GT(first.records(0).at().seconds(), 0);

  // The auditor's read shows in the next one, first.
  const v1::ListAccessLogResponse second = ReadLog(server, p);
  ASSERT_EQ(second.records_size(), first.records_size() + 1);
  EXPECT_EQ(
      Describe(second.records(0)),
      absl::StrCat(kAuditorPrincipal, " auditor AuditService.ListAccessLog ", p,
                   " allowed"));

  // By principal: the auditor's reads of the employer name the employer.
  ReadLog(server, "", "EC-0001");
  const v1::ListAccessLogResponse own = ReadLog(server, "", kAuditorPrincipal);
  ASSERT_GE(own.records_size(), 3);
  EXPECT_EQ(Describe(own.records(0)),
            absl::StrCat(kAuditorPrincipal,
                         " auditor AuditService.ListAccessLog  allowed about "
                         "EC-0001"));

  // An admin may not read the log, and that refusal is logged too.
  v1::ListAccessLogRequest request;
  request.set_participant_id(p);
  v1::ListAccessLogResponse response;
  const grpc::Status admin =
      v1::AuditService::NewStub(server.channel())
          ->ListAccessLog(CallAs(kAdminToken).get(), request, &response);
  EXPECT_EQ(admin.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      Describe(ReadLog(server, p).records(0)),
      absl::StrCat("ADM-0001 admin AuditService.ListAccessLog ", p, " denied"));
}

// A coach asking for someone outside their caseload and for an id nobody
// has gets the same answer, and the log records both alike, under the id
// as asked.
TEST(AuditApiTest, RefusalsSayNothingAboutWhetherTheParticipantExists) {
  ScratchDir scratch;
  RunningServer server(scratch);
  const std::string other = OwnParticipant(server);  // not the Malmö coach's
  const grpc::Status exists = GetParticipant(server, kOtherCoachToken, other);
  const grpc::Status missing =
      GetParticipant(server, kOtherCoachToken, "P9999999");
  EXPECT_EQ(exists.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(exists.error_message().find(other),
            missing.error_message().find("P9999999"));
  for (const std::string& id : {other, std::string("P9999999")}) {
    const v1::ListAccessLogResponse log = ReadLog(server, id);
    ASSERT_GE(log.records_size(), 1) << id;
    EXPECT_EQ(Describe(log.records(0)),
              absl::StrCat("C1280-04 coach ParticipantRegistry.GetParticipant ",
                           id, " denied"));
  }
}

TEST(AuditApiTest, RetentionIsAppliedAtStartAndShownOnTheStartLine) {
  ScratchDir scratch;
  {
    RunningServer server(scratch);
    // The start line is logged before the port file is written.
    EXPECT_THAT(server.log(), HasSubstr("event=server.start "));
    EXPECT_THAT(server.log(), HasSubstr("retention=\"decided proposals 90 "
                                        "days, access log 24 months\""));
  }
  // While the server is down: one record just past six months, one inside.
  const absl::Time now = absl::Now();
  {
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::Store::Open(scratch.File("demo.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)
                    ->AppendAccess({{.at = now - absl::Hours(24 * 190),
                                     .actor = "C-OLD",
                                     .role = "coach",
                                     .call = "too old",
                                     .participant_id = "P0000001"},
                                    {.at = now - absl::Hours(24 * 170),
                                     .actor = "C-OLD",
                                     .role = "coach",
                                     .call = "kept",
                                     .participant_id = "P0000001"}})
                    .ok());
  }
  RunningServer server(scratch, "demo.db", {"--retain_access_log_months=6"});
  EXPECT_THAT(server.log(),
              HasSubstr("event=retention.purge retention=\"decided proposals "
                        "90 days, access log 6 months\" proposals_removed=0 "
                        "access_records_removed=1"));
  const v1::ListAccessLogResponse log = ReadLog(server, "", "C-OLD");
  ASSERT_EQ(log.records_size(), 1);
  EXPECT_EQ(log.records(0).call(), "kept");
}

TEST(AuditApiTest, ServerRefusesAnAccessLogPeriodBelowSixMonths) {
  ScratchDir scratch;
  std::string output;
  const int code =
      RunAndCapture({PLACEMENT_SERVER_PATH, "--listen=127.0.0.1:0",
                     "--db=" + scratch.File("x.db"), "--data_dir=" + DataDir(),
                     "--credentials=" + DataDir() + "/demo/credentials.csv",
                     "--retain_access_log_months=5"},
                    &output);
  EXPECT_EQ(code, 1);
  EXPECT_THAT(output, HasSubstr("--retain_access_log_months: 5 is below 6"));
  EXPECT_THAT(output, HasSubstr("Art. 26"));
}

TEST(AuditApiTest, CliReadsTheLogAsATableAndAsJson) {
  ScratchDir scratch;
  RunningServer server(scratch);
  const std::string p = OwnParticipant(server);
  ASSERT_TRUE(GetParticipant(server, kCoachToken, p).ok());
  EXPECT_FALSE(GetParticipant(server, kEmployerToken, p).ok());
  const std::vector<std::string> base = {
      PLACEMENT_CLI_PATH, "--server=" + server.address(),
      std::string("--token=") + kAuditorToken};

  std::string table;
  std::vector<std::string> argv = base;
  argv.insert(argv.end(), {"audit", "log", "--participant=" + p,
                           "--from=2000-01-01", "--to=2100-12-31"});
  ASSERT_EQ(RunAndCapture(argv, &table), 0) << table;
  EXPECT_THAT(table, HasSubstr("PRINCIPAL"));
  EXPECT_THAT(table, HasSubstr("ParticipantRegistry.GetParticipant"));
  EXPECT_THAT(table, HasSubstr("denied"));
  EXPECT_THAT(table, HasSubstr("EC-0001"));

  std::string json;
  argv = base;
  argv.insert(argv.end(), {"--json", "audit", "log",
                           "--principal=" + std::string(kAuditorPrincipal)});
  ASSERT_EQ(RunAndCapture(argv, &json), 0) << json;
  EXPECT_THAT(json, HasSubstr("\"call\":\"AuditService.ListAccessLog\""));
  EXPECT_THAT(json, HasSubstr(absl::StrCat("\"participant_id\":\"", p, "\"")));

  std::string usage;
  argv = base;
  argv.insert(argv.end(), {"audit", "log"});
  EXPECT_EQ(RunAndCapture(argv, &usage), 2);
  EXPECT_THAT(usage, HasSubstr("--participant=P or --principal=NAME"));

  std::string denied;
  argv = {PLACEMENT_CLI_PATH,
          "--server=" + server.address(),
          std::string("--token=") + kAdminToken,
          "audit",
          "log",
          "--participant=" + p};
  EXPECT_EQ(RunAndCapture(argv, &denied), 5);
  EXPECT_THAT(denied, HasSubstr("may not call AuditService.ListAccessLog"));
}

}  // namespace
}  // namespace placement::service
