// Interoperability: a client in another language against the real
// placement-server. tests/interop/python_client.py uses Debian's
// python3-grpcio with message modules generated from the same .proto files
// (target placement_proto_python) and checks health, the caseload rule,
// ranking, errors and the streamed export; it exits 0 when every check
// passes. Run over plain text and over TLS.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/running_server.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/test_pki.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::RunAndCapture;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::placement::testing::TestPki;
using ::testing::HasSubstr;

// Debian's interpreter, where python3-grpcio installs: not whichever python3
// comes first on PATH.
constexpr char kPython[] = "/usr/bin/python3";

// Runs the client with the generated modules on PYTHONPATH.
int RunPythonClient(const std::vector<std::string>& args, std::string* output) {
  std::vector<std::string> argv = {
      "/usr/bin/env", "PYTHONPATH=" PLACEMENT_PYTHON_PATH,
      "PYTHONDONTWRITEBYTECODE=1", kPython, PLACEMENT_PYTHON_CLIENT};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunAndCapture(argv, output, absl::Seconds(60));
}

class PythonInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Missing packages fail the test: CI must not pass without running it.
    std::string output;
    ASSERT_EQ(RunAndCapture({"/usr/bin/env", kPython, "-c",
                             "import grpc, google.protobuf"},
                            &output),
              0)
        << kPython
        << " cannot import grpc and google.protobuf: run scripts/install-deps "
           "(Debian packages python3-grpcio, python3-protobuf)\n"
        << output;
  }

  ScratchDir scratch_;
};

TEST_F(PythonInteropTest, PythonClientPassesEveryCheck) {
  RunningServer server(scratch_);
  std::string output;
  EXPECT_EQ(RunPythonClient({"--server=" + server.address()}, &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr(" 0 failed"));
}

TEST_F(PythonInteropTest, PythonClientPassesEveryCheckOverTls) {
  TestPki pki;
  RunningServer server(scratch_, "demo.db",
                       {"--tls_cert=" + pki.File("server.pem"),
                        "--tls_key=" + pki.File("server.key")},
                       pki.Trusting("ca"));
  std::string output;
  EXPECT_EQ(RunPythonClient({"--server=" + server.address(),
                             "--tls_ca=" + pki.File("ca.pem")},
                            &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("(TLS): "));
  EXPECT_THAT(output, HasSubstr(" 0 failed"));
}

}  // namespace
}  // namespace placement
