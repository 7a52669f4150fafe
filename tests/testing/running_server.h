// A real placement-server process on 127.0.0.1 with a free port, its own
// database and the demo credentials, for end-to-end tests. Header-only; the
// test target defines PLACEMENT_SERVER_PATH.

#ifndef PLACEMENT_TESTS_TESTING_RUNNING_SERVER_H_
#define PLACEMENT_TESTS_TESTING_RUNNING_SERVER_H_

#include <signal.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/test_util.h"

namespace placement::testing {

// Demo tokens (data/demo/credentials.csv).
inline constexpr char kCoachToken[] = "demo-coach-haninge-0136-01";
inline constexpr char kCoachPrincipal[] = "C0136-01";
inline constexpr char kOtherCoachToken[] = "demo-coach-malmo-1280-04";
inline constexpr char kEmployerToken[] = "demo-employer-contact-token-1";
inline constexpr char kOperatorToken[] = "demo-operator-token-0001";
inline constexpr char kAdminToken[] = "demo-admin-token-00000001";
inline constexpr char kAuditorToken[] = "demo-auditor-token-00000001";
inline constexpr char kAuditorPrincipal[] = "AUD-0001";

class RunningServer {
 public:
  using HealthResponse = grpc::health::v1::HealthCheckResponse;

  // extra_flags come after the defaults, so they override them (e.g.
  // --listen); channel() uses channel_credentials, e.g. TLS for a server
  // started with --tls_cert and --tls_key.
  explicit RunningServer(
      const ScratchDir& scratch, const std::string& db_name = "demo.db",
      std::vector<std::string> extra_flags = {},
      std::shared_ptr<grpc::ChannelCredentials> channel_credentials = nullptr)
      : log_path_(scratch.File("server.log")),
        port_file_(scratch.File("port")),
        db_path_(scratch.File(db_name)) {
    std::remove(port_file_.c_str());
    std::vector<std::string> argv = {
        PLACEMENT_SERVER_PATH,
        "--listen=127.0.0.1:0",
        "--port_file=" + port_file_,
        "--db=" + db_path_,
        "--data_dir=" + DataDir(),
        "--seed_from=" + DataDir() + "/demo",
        "--credentials=" + DataDir() + "/demo/credentials.csv",
        "--profile=" + DataDir() + "/profiles/default.csv",
        "--shutdown_grace=2s"};
    argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
    process_ = std::make_unique<Subprocess>(argv, log_path_);
    const std::string port = WaitForFile(port_file_, absl::Seconds(60));
    EXPECT_FALSE(port.empty()) << ReadFileOrDie(log_path_);
    address_ = absl::StrCat("127.0.0.1:", absl::StripAsciiWhitespace(port));
    channel_ =
        grpc::CreateChannel(address_, channel_credentials != nullptr
                                          ? channel_credentials
                                          : grpc::InsecureChannelCredentials());
  }

  // Stops the server as an operator would (SIGTERM) and expects a clean
  // exit: a sanitizer report in the server fails the test that ran it.
  ~RunningServer() {
    if (process_ == nullptr || !process_->running()) return;
    process_->Signal(SIGTERM);
    const std::optional<int> code = process_->Wait(absl::Seconds(60));
    EXPECT_EQ(code, 0) << "placement-server did not stop cleanly:\n" << log();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  const std::string& address() const { return address_; }
  const std::string& db_path() const { return db_path_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  Subprocess& process() { return *process_; }
  std::string log() const { return ReadFileOrDie(log_path_); }

  HealthResponse::ServingStatus Health() const {
    auto stub = grpc::health::v1::Health::NewStub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    HealthResponse response;
    const grpc::Status status = stub->Check(
        &context, grpc::health::v1::HealthCheckRequest(), &response);
    return status.ok() ? response.status() : HealthResponse::UNKNOWN;
  }

 private:
  std::string log_path_;
  std::string port_file_;
  std::string db_path_;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Subprocess> process_;
};

// A client context with a deadline and, unless empty, a bearer token.
inline std::unique_ptr<grpc::ClientContext> CallAs(
    const std::string& token, absl::Duration deadline = absl::Seconds(10)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(deadline));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

}  // namespace placement::testing

#endif  // PLACEMENT_TESTS_TESTING_RUNNING_SERVER_H_
