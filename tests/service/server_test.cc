// End to end: the real placement-server binary on loopback, and the real
// placement CLI against it.

#include "service/server.h"

#include <signal.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/testing/running_server.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/test_util.h"

namespace placement::service {
namespace {

using ::placement::testing::DataDir;
using ::placement::testing::ReadFileOrDie;
using ::placement::testing::RunAndCapture;
using ::placement::testing::ScratchDir;
using ::placement::testing::Subprocess;
using ::placement::testing::WaitForFile;
using ::testing::HasSubstr;
using ::testing::Not;

using ::placement::testing::RunningServer;
using HealthResponse = RunningServer::HealthResponse;

TEST(ServerTest, HelpListsTheServersOwnFlagsAndExitsZero) {
  std::string output;
  EXPECT_EQ(RunAndCapture({PLACEMENT_SERVER_PATH, "--help"}, &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("Example: placement-server"));
  for (const char* flag : {"--listen", "--db", "--credentials", "--seed_from",
                           "--tls_cert", "--rematch_threads"}) {
    EXPECT_THAT(output, HasSubstr(flag));
  }
  EXPECT_THAT(output, HasSubstr("SQLite database file"));
  // Only the server's flags: none of gRPC's or Abseil's.
  EXPECT_THAT(output, ::testing::Not(HasSubstr("--flagfile")));
}

TEST(ServerTest, ServesHealthCreatesTheDemoDatabaseAndStopsCleanlyOnSigterm) {
  ScratchDir scratch;
  {
    RunningServer server(scratch);
    EXPECT_EQ(server.Health(), HealthResponse::SERVING);
    EXPECT_THAT(server.log(), HasSubstr("event=store.seeded"));
    EXPECT_THAT(server.log(), HasSubstr("participants=500 openings=150"));
    server.process().Signal(SIGTERM);
    std::optional<int> exit_code = server.process().Wait(absl::Seconds(20));
    ASSERT_TRUE(exit_code.has_value()) << "did not stop within 20 s";
    EXPECT_EQ(*exit_code, 0) << server.log();
    EXPECT_THAT(server.log(), HasSubstr("event=server.stopping signal=SIGTERM "
                                        "health=NOT_SERVING"));
    EXPECT_THAT(server.log(), HasSubstr("event=server.stop "));
  }
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::Store::Open(scratch.File("demo.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(*(*store)->CountParticipants(), 500);
  EXPECT_EQ(*(*store)->CountOpenings(), 150);
}

TEST(ServerTest, SecondStartReusesTheDatabaseWithoutReimporting) {
  ScratchDir scratch;
  {
    RunningServer first(scratch);
    first.process().Signal(SIGTERM);
    ASSERT_EQ(first.process().Wait(absl::Seconds(20)), std::optional<int>(0));
  }
  std::remove(scratch.File("server.log").c_str());
  RunningServer second(scratch);
  EXPECT_EQ(second.Health(), HealthResponse::SERVING);
  EXPECT_THAT(second.log(), ::testing::Not(HasSubstr("event=store.seeded")));
  EXPECT_THAT(second.log(), HasSubstr("event=server.start "));
  EXPECT_THAT(second.log(), HasSubstr("participants=500 openings=150"));
}

// A second server on a port in use exits instead of sharing the port (and
// answering some of the first one's clients from its own database).
TEST(ServerTest, RefusesAPortAnotherServerHolds) {
  ScratchDir scratch;
  RunningServer first(scratch);
  ASSERT_EQ(first.Health(), HealthResponse::SERVING);
  ScratchDir other;
  std::string output;
  const int code = RunAndCapture(
      {PLACEMENT_SERVER_PATH, "--listen=" + first.address(),
       "--db=" + other.File("other.db"), "--data_dir=" + DataDir(),
       "--credentials=" + DataDir() + "/demo/credentials.csv"},
      &output, absl::Seconds(20));
  // A server that shared the port would still be serving at the time-out.
  EXPECT_EQ(code, 1) << output;
  EXPECT_THAT(output, HasSubstr("is another server using the port?"));
  EXPECT_EQ(first.Health(), HealthResponse::SERVING);
}

// One server per database: a second one on the same file exits before it
// listens, naming the file and the holder; readers through SQLite are not
// blocked; once the first stops, or dies, a new one starts.
TEST(ServerTest, RefusesADatabaseAnotherServerHoldsAndNamesTheHolder) {
  ScratchDir scratch;
  auto first = std::make_unique<RunningServer>(scratch);
  ASSERT_EQ(first->Health(), HealthResponse::SERVING);
  std::string output;
  // The same file by another path.
  const std::string same_file = scratch.File(".") + "/demo.db";
  const int code = RunAndCapture(
      {PLACEMENT_SERVER_PATH, "--listen=127.0.0.1:0", "--db=" + same_file,
       "--port_file=" + scratch.File("second-port"), "--data_dir=" + DataDir(),
       "--credentials=" + DataDir() + "/demo/credentials.csv"},
      &output, absl::Seconds(20));
  EXPECT_EQ(code, 1) << output;
  EXPECT_THAT(output,
              HasSubstr("database '" + same_file +
                        "' is in use by "
                        "placement-server pid " +
                        std::to_string(first->process().pid()) + " on host "));
  EXPECT_THAT(output, HasSubstr(", started 20"));
  EXPECT_THAT(output, HasSubstr("/demo.db.lock'"));
  EXPECT_THAT(output, Not(HasSubstr("listening")));
  EXPECT_FALSE(std::filesystem::exists(scratch.File("second-port")));
  EXPECT_EQ(first->Health(), HealthResponse::SERVING);
  // The lock is the server's, not every reader's.
  {
    absl::StatusOr<std::unique_ptr<store::Store>> reader =
        store::Store::Open(scratch.File("demo.db"));
    ASSERT_TRUE(reader.ok()) << reader.status();
    EXPECT_EQ(*(*reader)->CountParticipants(), 500);
  }

  first.reset();  // SIGTERM, a clean stop
  {
    RunningServer second(scratch);
    EXPECT_EQ(second.Health(), HealthResponse::SERVING);
    // A server that dies holding the lock leaves its lock file behind;
    // the lock itself dies with the process.
    second.process().Signal(SIGKILL);
    ASSERT_EQ(second.process().Wait(absl::Seconds(20)),
              std::optional<int>(128 + SIGKILL));
  }
  EXPECT_THAT(ReadFileOrDie(scratch.File("demo.db.lock")),
              HasSubstr("placement-server pid "));
  RunningServer third(scratch);
  EXPECT_EQ(third.Health(), HealthResponse::SERVING);
}

TEST(ServerTest, RefusesPlainTextOffLoopback) {
  ScratchDir scratch;
  std::string output;
  const int code =
      RunAndCapture({PLACEMENT_SERVER_PATH, "--listen=0.0.0.0:0",
                     "--db=" + scratch.File("x.db"), "--data_dir=" + DataDir()},
                    &output);
  EXPECT_EQ(code, 1);
  EXPECT_THAT(output, HasSubstr("loopback only"));
}

TEST(ServerTest, RefusesACorruptDatabaseAndLeavesItAlone) {
  ScratchDir scratch;
  const std::string garbage(4096, '\x5a');
  ::placement::testing::WriteFileOrDie(scratch.File("bad.db"), garbage);
  std::string output;
  const int code = RunAndCapture(
      {PLACEMENT_SERVER_PATH, "--listen=127.0.0.1:0",
       "--db=" + scratch.File("bad.db"), "--data_dir=" + DataDir(),
       "--credentials=" + DataDir() + "/demo/credentials.csv"},
      &output);
  EXPECT_EQ(code, 1);
  EXPECT_THAT(output, HasSubstr("left untouched"));
  EXPECT_EQ(ReadFileOrDie(scratch.File("bad.db")), garbage);
}

TEST(ServerTest, RefusesMissingReferenceData) {
  ScratchDir scratch;
  std::string output;
  const int code =
      RunAndCapture({PLACEMENT_SERVER_PATH, "--listen=127.0.0.1:0",
                     "--db=" + scratch.File("x.db"),
                     "--credentials=" + DataDir() + "/demo/credentials.csv",
                     "--data_dir=" + scratch.File("nowhere")},
                    &output);
  EXPECT_EQ(code, 1);
  EXPECT_THAT(output, HasSubstr("occupation_fields.csv"));
}

TEST(CliTest, HealthExitCodesAndOutputs) {
  ScratchDir scratch;
  RunningServer server(scratch);
  std::string table;
  EXPECT_EQ(RunAndCapture(
                {PLACEMENT_CLI_PATH, "--server=" + server.address(), "health"},
                &table),
            0);
  EXPECT_THAT(table, HasSubstr("SERVING"));
  std::string json;
  EXPECT_EQ(RunAndCapture({PLACEMENT_CLI_PATH, "--server=" + server.address(),
                           "--json", "health"},
                          &json),
            0);
  EXPECT_THAT(json, HasSubstr("\"status\":\"SERVING\""));

  std::string usage;
  EXPECT_EQ(RunAndCapture({PLACEMENT_CLI_PATH, "frobnicate"}, &usage), 2);
  EXPECT_THAT(usage, HasSubstr("unknown command 'frobnicate'"));

  server.process().Signal(SIGTERM);
  ASSERT_EQ(server.process().Wait(absl::Seconds(20)), std::optional<int>(0));
  std::string unreachable;
  EXPECT_EQ(RunAndCapture({PLACEMENT_CLI_PATH, "--server=" + server.address(),
                           "--timeout=1s", "health"},
                          &unreachable),
            3);
  EXPECT_THAT(unreachable, HasSubstr("cannot reach"));
}

TEST(LoopbackTest, Addresses) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:1"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1:50051"));
}

}  // namespace
}  // namespace placement::service
