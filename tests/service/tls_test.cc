// TLS end to end: the real placement-server with certificates made at test
// time by the openssl command-line tool, C++ clients that trust the right
// CA, another CA or none, client certificates, and the placement CLI. Also
// the flag checks of service/tls.h on their own.

#include "service/tls.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "tests/testing/running_server.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/test_pki.h"
#include "tests/testing/test_util.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::DataDir;
using ::placement::testing::kCoachPrincipal;
using ::placement::testing::kCoachToken;
using ::placement::testing::RunAndCapture;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::placement::testing::TestPki;
using ::testing::HasSubstr;
using ::testing::Not;
using HealthResponse = RunningServer::HealthResponse;

// A call that needs authentication: the demo coach lists their caseload.
grpc::Status ListCaseload(const std::shared_ptr<grpc::Channel>& channel,
                          int* count) {
  v1::ListParticipantsRequest request;
  request.mutable_page()->set_page_size(500);
  v1::ListParticipantsResponse response;
  const grpc::Status status =
      v1::ParticipantRegistry::NewStub(channel)->ListParticipants(
          CallAs(kCoachToken).get(), request, &response);
  *count = response.participants_size();
  for (const v1::Participant& p : response.participants()) {
    EXPECT_EQ(p.coach_id(), kCoachPrincipal);
  }
  return status;
}

grpc::Status CheckHealth(const std::string& address,
                         std::shared_ptr<grpc::ChannelCredentials> credentials,
                         const std::string& server_name = "") {
  grpc::ChannelArguments arguments;
  if (!server_name.empty()) arguments.SetSslTargetNameOverride(server_name);
  auto channel =
      grpc::CreateCustomChannel(address, std::move(credentials), arguments);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  HealthResponse response;
  grpc::Status status = grpc::health::v1::Health::NewStub(channel)->Check(
      &context, grpc::health::v1::HealthCheckRequest(), &response);
  if (status.ok()) {
    EXPECT_EQ(response.status(), HealthResponse::SERVING);
  }
  return status;
}

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  static const TestPki& Pki() { return *pki_; }

  ScratchDir scratch_;

 private:
  static TestPki* pki_;
};
TestPki* TlsTest::pki_ = nullptr;

TEST_F(TlsTest, ClientTrustingTheCaCallsHealthAndAnAuthenticatedRpc) {
  RunningServer server(scratch_, "demo.db", Pki().ServerFlags(),
                       Pki().Trusting("ca"));
  EXPECT_EQ(server.Health(), HealthResponse::SERVING);
  int count = 0;
  const grpc::Status status = ListCaseload(server.channel(), &count);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(count, 0);
  EXPECT_THAT(server.log(), HasSubstr(" security=TLS "));
}

TEST_F(TlsTest, PlainTextClientIsRefused) {
  RunningServer server(scratch_, "demo.db", Pki().ServerFlags(),
                       grpc::InsecureChannelCredentials());
  EXPECT_EQ(server.Health(), HealthResponse::UNKNOWN);
  int count = 0;
  EXPECT_EQ(ListCaseload(server.channel(), &count).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(count, 0);
}

TEST_F(TlsTest, ClientTrustingAnotherCaOrNameIsRefused) {
  RunningServer server(scratch_, "demo.db", Pki().ServerFlags(),
                       Pki().Trusting("other_ca"));
  EXPECT_EQ(server.Health(), HealthResponse::UNKNOWN);
  int count = 0;
  EXPECT_EQ(ListCaseload(server.channel(), &count).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // The right CA, but a name the certificate does not carry.
  EXPECT_FALSE(
      CheckHealth(server.address(), Pki().Trusting("ca"), "elsewhere.example")
          .ok());
  EXPECT_TRUE(
      CheckHealth(server.address(), Pki().Trusting("ca"), "localhost").ok());
}

TEST_F(TlsTest, ClientCertificatesAreRequiredAndVerifiedWithClientCa) {
  RunningServer server(scratch_, "demo.db", Pki().MutualServerFlags(),
                       Pki().Trusting("ca", "client"));
  EXPECT_EQ(server.Health(), HealthResponse::SERVING);
  int count = 0;
  const grpc::Status status = ListCaseload(server.channel(), &count);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(count, 0);
  EXPECT_THAT(server.log(),
              HasSubstr(" security=\"TLS with client certificates\" "));

  const grpc::Status without_certificate =
      CheckHealth(server.address(), Pki().Trusting("ca"));
  EXPECT_EQ(without_certificate.error_code(), grpc::StatusCode::UNAVAILABLE)
      << without_certificate.error_message();
  const grpc::Status other_ca_certificate =
      CheckHealth(server.address(), Pki().Trusting("ca", "other_client"));
  EXPECT_EQ(other_ca_certificate.error_code(), grpc::StatusCode::UNAVAILABLE)
      << other_ca_certificate.error_message();
}

TEST_F(TlsTest, ServesOffLoopbackWithTls) {
  // All interfaces; the client still connects over 127.0.0.1.
  std::vector<std::string> flags = Pki().ServerFlags();
  flags.push_back("--listen=0.0.0.0:0");
  RunningServer server(scratch_, "demo.db", flags, Pki().Trusting("ca"));
  EXPECT_EQ(server.Health(), HealthResponse::SERVING);
  EXPECT_THAT(server.log(), HasSubstr("event=server.start address=0.0.0.0:"));
  int count = 0;
  EXPECT_TRUE(ListCaseload(server.channel(), &count).ok());
}

// Runs placement-server with `flags` after a working base configuration;
// returns its exit code and output.
int RunServerWith(const ScratchDir& scratch,
                  const std::vector<std::string>& flags, std::string* output) {
  std::vector<std::string> argv = {
      PLACEMENT_SERVER_PATH, "--listen=127.0.0.1:0",
      "--db=" + scratch.File("x.db"), "--data_dir=" + DataDir(),
      "--credentials=" + DataDir() + "/demo/credentials.csv"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return RunAndCapture(argv, output);
}

TEST_F(TlsTest, ServerRefusesPlainTextOffLoopbackAndNamesTls) {
  std::string output;
  EXPECT_EQ(RunServerWith(scratch_, {"--listen=0.0.0.0:0"}, &output), 1);
  EXPECT_THAT(output, HasSubstr("loopback only"));
  EXPECT_THAT(output, HasSubstr("TLS (--tls_cert and --tls_key)"));
}

TEST_F(TlsTest, ServerRefusesIncompleteOrUnreadableTlsFlags) {
  const std::string cert = Pki().File("server.pem");
  const std::string key = Pki().File("server.key");
  std::string output;
  EXPECT_EQ(RunServerWith(scratch_, {"--tls_cert=" + cert}, &output), 1);
  EXPECT_THAT(output,
              HasSubstr("--tls_cert=" + cert + " is set but --tls_key is not"));

  output.clear();
  EXPECT_EQ(RunServerWith(scratch_, {"--tls_key=" + key}, &output), 1);
  EXPECT_THAT(output,
              HasSubstr("--tls_key=" + key + " is set but --tls_cert is not"));

  output.clear();
  const std::string missing = scratch_.File("missing.pem");
  EXPECT_EQ(
      RunServerWith(scratch_, {"--tls_cert=" + missing, "--tls_key=" + key},
                    &output),
      1);
  EXPECT_THAT(output, HasSubstr("--tls_cert=" + missing + ": cannot read"));

  output.clear();
  const std::string ca = Pki().File("ca.pem");
  EXPECT_EQ(RunServerWith(scratch_, {"--tls_client_ca=" + ca}, &output), 1);
  EXPECT_THAT(output, HasSubstr("--tls_client_ca=" + ca +
                                " needs --tls_cert and --tls_key"));

  // A key that belongs to another certificate.
  output.clear();
  EXPECT_EQ(RunServerWith(
                scratch_,
                {"--tls_cert=" + cert, "--tls_key=" + Pki().File("client.key")},
                &output),
            1);
  EXPECT_THAT(output, HasSubstr("does --tls_key not match --tls_cert?"));
}

TEST_F(TlsTest, CliOverTls) {
  RunningServer server(scratch_, "demo.db", Pki().ServerFlags(),
                       Pki().Trusting("ca"));
  const std::string ca = "--tls_ca=" + Pki().File("ca.pem");
  const std::string at = "--server=" + server.address();
  std::string output;
  EXPECT_EQ(RunAndCapture({PLACEMENT_CLI_PATH, at, ca, "health"}, &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("SERVING"));

  output.clear();
  EXPECT_EQ(RunAndCapture(
                {PLACEMENT_CLI_PATH, at, ca,
                 absl::StrCat("--token=", kCoachToken), "participant", "list"},
                &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr(kCoachPrincipal));

  output.clear();
  EXPECT_EQ(RunAndCapture({PLACEMENT_CLI_PATH, at, ca,
                           "--tls_server_name=localhost", "health"},
                          &output),
            0)
      << output;

  // Plain text, a name the certificate lacks, another CA: unreachable.
  for (const std::vector<std::string>& flags :
       std::vector<std::vector<std::string>>{
           {},
           {ca, "--tls_server_name=elsewhere.example"},
           {"--tls_ca=" + Pki().File("other_ca.pem")}}) {
    std::vector<std::string> argv = {PLACEMENT_CLI_PATH, at, "--timeout=3s"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back("health");
    output.clear();
    EXPECT_EQ(RunAndCapture(argv, &output), 3) << output;
    EXPECT_THAT(output, HasSubstr("cannot reach"));
  }
}

TEST_F(TlsTest, CliWithClientCertificateAndFlagErrors) {
  RunningServer server(scratch_, "demo.db", Pki().MutualServerFlags(),
                       Pki().Trusting("ca", "client"));
  const std::string at = "--server=" + server.address();
  const std::string ca = "--tls_ca=" + Pki().File("ca.pem");
  std::string output;
  EXPECT_EQ(RunAndCapture({PLACEMENT_CLI_PATH, at, ca,
                           "--tls_cert=" + Pki().File("client.pem"),
                           "--tls_key=" + Pki().File("client.key"), "health"},
                          &output),
            0)
      << output;

  output.clear();
  EXPECT_EQ(
      RunAndCapture({PLACEMENT_CLI_PATH, at, ca, "--timeout=3s", "health"},
                    &output),
      3)
      << output;

  output.clear();
  EXPECT_EQ(RunAndCapture({PLACEMENT_CLI_PATH, at, ca,
                           "--tls_cert=" + Pki().File("client.pem"), "health"},
                          &output),
            2);
  EXPECT_THAT(output, HasSubstr("--tls_cert needs --tls_key"));

  output.clear();
  const std::string missing = scratch_.File("missing.pem");
  EXPECT_EQ(
      RunAndCapture({PLACEMENT_CLI_PATH, at, "--tls_ca=" + missing, "health"},
                    &output),
      2);
  EXPECT_THAT(output, HasSubstr("--tls_ca=" + missing + ": cannot read"));

  output.clear();
  EXPECT_EQ(RunAndCapture({PLACEMENT_CLI_PATH, at,
                           "--tls_server_name=localhost", "health"},
                          &output),
            2);
  EXPECT_THAT(output, HasSubstr("--tls_server_name needs TLS"));
}

TlsFiles Files(std::string cert, std::string key, std::string client_ca = "") {
  TlsFiles files;
  files.cert_path = std::move(cert);
  files.key_path = std::move(key);
  files.client_ca_path = std::move(client_ca);
  return files;
}

// service/tls.h on its own, without a server.
TEST_F(TlsTest, MakeServerTransportChecksTheFlags) {
  absl::StatusOr<ServerTransport> plain = MakeServerTransport({});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->security, TransportSecurity::kPlainText);

  absl::StatusOr<ServerTransport> tls = MakeServerTransport(
      Files(Pki().File("server.pem"), Pki().File("server.key")));
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_EQ(tls->security, TransportSecurity::kTls);
  EXPECT_NE(tls->credentials, nullptr);

  absl::StatusOr<ServerTransport> mutual = MakeServerTransport(
      Files(Pki().File("server.pem"), Pki().File("server.key"),
            Pki().File("ca.pem")));
  ASSERT_TRUE(mutual.ok()) << mutual.status();
  EXPECT_EQ(mutual->security, TransportSecurity::kTlsWithClientCertificates);
  EXPECT_EQ(TransportSecurityName(mutual->security),
            "TLS with client certificates");

  // Key and certificate swapped: each file lacks its PEM block.
  absl::StatusOr<ServerTransport> swapped = MakeServerTransport(
      Files(Pki().File("server.key"), Pki().File("server.pem")));
  EXPECT_EQ(swapped.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(swapped.status().message(),
              HasSubstr("--tls_cert=" + Pki().File("server.key") +
                        ": not a PEM certificate"));
  absl::StatusOr<ServerTransport> key_is_cert = MakeServerTransport(
      Files(Pki().File("server.pem"), Pki().File("server.pem")));
  EXPECT_THAT(key_is_cert.status().message(),
              HasSubstr("not a PEM private key"));
  absl::StatusOr<ServerTransport> ca_is_key = MakeServerTransport(
      Files(Pki().File("server.pem"), Pki().File("server.key"),
            Pki().File("ca.key")));
  EXPECT_THAT(ca_is_key.status().message(),
              HasSubstr("--tls_client_ca=" + Pki().File("ca.key") +
                        ": not a PEM CA certificate"));
  // A folder is not a file.
  absl::StatusOr<ServerTransport> folder =
      MakeServerTransport(Files(scratch_.path(), Pki().File("server.key")));
  EXPECT_THAT(folder.status().message(), HasSubstr("cannot read"));
  EXPECT_THAT(folder.status().message(), Not(HasSubstr("not a PEM")));
}

}  // namespace
}  // namespace placement::service
