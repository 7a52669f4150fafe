// End to end: a real placement-server on loopback whose disk fills up or
// turns read-only while it runs, and comes back (the server binary is
// placement-server-fault-injection: the real server with its SQLite writes
// through tests/testing/fault_injection_vfs.h, switched by a control file).
// Coach reads write their access record first, so they fail with the
// cause; health says NOT_SERVING for the services that write until a write
// succeeds again; the CLI reports a server error, not "cannot reach".

#include <stdlib.h>

#include <string>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "tests/testing/running_server.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/test_util.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kCoachToken;
using ::placement::testing::kOtherCoachToken;
using ::placement::testing::RunAndCapture;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::placement::testing::WriteFileOrDie;
using ::testing::HasSubstr;
using ::testing::Not;
using HealthResponse = RunningServer::HealthResponse;

constexpr char kCoachService[] = "placement.v1.CoachService";
constexpr char kRegistry[] = "placement.v1.ParticipantRegistry";
constexpr char kReferenceData[] = "placement.v1.ReferenceDataService";

class StorageFaultTest : public ::testing::Test {
 protected:
  StorageFaultTest() : fault_file_(scratch_.File("write-fault")) {
    // The server inherits it (tests/testing/fault_injection_server.cc).
    setenv("PLACEMENT_WRITE_FAULT_FILE", fault_file_.c_str(), 1);
    server_ = std::make_unique<RunningServer>(
        scratch_, "demo.db",
        std::vector<std::string>{"--write_probe_interval=200ms"});
  }
  ~StorageFaultTest() override { unsetenv("PLACEMENT_WRITE_FAULT_FILE"); }

  // "full", "readonly", or "" for none: from the server's next write on.
  void SetFault(const std::string& fault) {
    WriteFileOrDie(fault_file_, fault);
  }

  HealthResponse::ServingStatus Health(const std::string& service) {
    auto stub = grpc::health::v1::Health::NewStub(server_->channel());
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    HealthResponse response;
    const grpc::Status status =
        stub->Check(CallAs("", absl::Seconds(5)).get(), request, &response);
    return status.ok() ? response.status() : HealthResponse::UNKNOWN;
  }

  // Waits up to 10 s for `service` to report `wanted`.
  bool HealthBecomes(const std::string& service,
                     HealthResponse::ServingStatus wanted) {
    for (int i = 0; i < 200; ++i) {
      if (Health(service) == wanted) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  // A coach's read of their participant P0000012 (it writes an access
  // record before it answers).
  grpc::Status CoachRead(v1::Participant* participant = nullptr) {
    v1::GetParticipantRequest request;
    request.set_participant_id("P0000012");
    v1::Participant response;
    const grpc::Status status =
        v1::ParticipantRegistry::NewStub(server_->channel())
            ->GetParticipant(CallAs(kCoachToken).get(), request, &response);
    if (participant != nullptr) *participant = response;
    return status;
  }

  grpc::Status Upsert(v1::Participant participant) {
    participant.clear_updated_at();
    v1::UpsertParticipantRequest request;
    *request.mutable_participant() = participant;
    v1::Participant saved;
    return v1::ParticipantRegistry::NewStub(server_->channel())
        ->UpsertParticipant(CallAs(kCoachToken).get(), request, &saved);
  }

  int Cli(const std::vector<std::string>& args, std::string* output,
          const std::string& token = kCoachToken) {
    std::vector<std::string> argv = {PLACEMENT_CLI_PATH,
                                     "--server=" + server_->address(),
                                     "--token=" + token, "--timeout=10s"};
    argv.insert(argv.end(), args.begin(), args.end());
    output->clear();
    return RunAndCapture(argv, output);
  }

  ScratchDir scratch_;
  const std::string fault_file_;
  std::unique_ptr<RunningServer> server_;
};

TEST_F(StorageFaultTest, AFullDiskFailsWritesAndHealthUntilAWriteSucceeds) {
  v1::Participant participant;
  ASSERT_TRUE(CoachRead(&participant).ok());
  ASSERT_EQ(Health(""), HealthResponse::SERVING);
  ASSERT_EQ(Health(kCoachService), HealthResponse::SERVING);

  SetFault("full");
  const grpc::Status read = CoachRead();
  EXPECT_EQ(read.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(read.error_message(),
              HasSubstr("the access log cannot be written"));
  EXPECT_THAT(read.error_message(), HasSubstr("disk is full"));
  // Health turns at once with the failed call, not at the next probe.
  EXPECT_EQ(Health(""), HealthResponse::NOT_SERVING);
  EXPECT_EQ(Health(kCoachService), HealthResponse::NOT_SERVING);
  EXPECT_EQ(Health(kRegistry), HealthResponse::NOT_SERVING);
  // A service whose calls only read keeps serving.
  EXPECT_EQ(Health(kReferenceData), HealthResponse::SERVING);
  // Other writes fail the same way.
  const grpc::Status upsert = Upsert(participant);
  EXPECT_EQ(upsert.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << upsert.error_message();
  // The probe keeps failing: no flapping back to SERVING meanwhile.
  absl::SleepFor(absl::Milliseconds(600));
  EXPECT_EQ(Health(kCoachService), HealthResponse::NOT_SERVING);
  EXPECT_THAT(server_->log(), HasSubstr("event=storage.fault"));

  // The CLI: a server error with the code and the server's message, its
  // own exit code; never "cannot reach".
  std::string out;
  EXPECT_EQ(Cli({"participant", "get", "P0000012"}, &out), 6) << out;
  EXPECT_THAT(out, HasSubstr("server error RESOURCE_EXHAUSTED: the access "
                             "log cannot be written"));
  EXPECT_THAT(out, Not(HasSubstr("cannot reach")));
  EXPECT_EQ(Cli({"health"}, &out), 4) << out;
  EXPECT_THAT(out, HasSubstr("NOT_SERVING"));

  // Space again: the write probe sees it with no call coming.
  SetFault("");
  EXPECT_TRUE(HealthBecomes(kCoachService, HealthResponse::SERVING));
  EXPECT_EQ(Health(""), HealthResponse::SERVING);
  EXPECT_TRUE(CoachRead().ok());
  EXPECT_TRUE(Upsert(participant).ok());
  EXPECT_THAT(server_->log(), HasSubstr("event=storage.recovered"));
  EXPECT_EQ(Cli({"participant", "get", "P0000012"}, &out), 0) << out;
}

TEST_F(StorageFaultTest, AReadOnlyDiskIsUnavailableUntilACallWritesAgain) {
  ASSERT_TRUE(CoachRead().ok());
  SetFault("readonly");
  const grpc::Status read = CoachRead();
  EXPECT_EQ(read.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(read.error_message(),
              HasSubstr("the access log cannot be written"));
  EXPECT_THAT(read.error_message(), HasSubstr("read-only"));
  EXPECT_EQ(Health(kCoachService), HealthResponse::NOT_SERVING);
  std::string out;
  EXPECT_EQ(Cli({"participant", "get", "P0000012"}, &out), 6) << out;
  EXPECT_THAT(out, HasSubstr("server error UNAVAILABLE: the access log "
                             "cannot be written"));
  EXPECT_THAT(out, Not(HasSubstr("cannot reach")));

  // Writable again: the next call that writes succeeds and health follows.
  SetFault("");
  EXPECT_TRUE(CoachRead().ok());
  EXPECT_TRUE(HealthBecomes(kCoachService, HealthResponse::SERVING));
}

// A refusal is a server error too, with the code name and its own exit
// code; nothing listening is "cannot reach".
TEST_F(StorageFaultTest, CliTellsAServerErrorFromAServerItCannotReach) {
  std::string out;
  EXPECT_EQ(Cli({"participant", "get", "P0000012"}, &out, kOtherCoachToken), 5)
      << out;
  EXPECT_THAT(out, HasSubstr("server error PERMISSION_DENIED: "));
  EXPECT_THAT(out, Not(HasSubstr("cannot reach")));
  // INVALID_ARGUMENT from the server: updated_at is output only.
  const std::string change = scratch_.File("change.json");
  WriteFileOrDie(change, "{}");
  EXPECT_EQ(
      Cli({"participant", "update", "P0000012", change, "--mask=updated_at"},
          &out),
      1)
      << out;
  EXPECT_THAT(out, HasSubstr("server error INVALID_ARGUMENT: "));

  const std::string address = server_->address();
  server_.reset();  // stops it
  std::vector<std::string> argv = {PLACEMENT_CLI_PATH,
                                   "--server=" + address,
                                   std::string("--token=") + kCoachToken,
                                   "--timeout=2s",
                                   "participant",
                                   "get",
                                   "P0000012"};
  out.clear();
  EXPECT_EQ(RunAndCapture(argv, &out), 3) << out;
  EXPECT_THAT(out, HasSubstr("cannot reach " + address));
  EXPECT_THAT(out, Not(HasSubstr("server error")));
}

}  // namespace
}  // namespace placement::service
