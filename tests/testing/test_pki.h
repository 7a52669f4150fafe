// A throwaway public-key infrastructure for TLS tests, made at test time
// with the openssl command-line tool (Debian package openssl). Header-only.

#ifndef PLACEMENT_TESTS_TESTING_TEST_PKI_H_
#define PLACEMENT_TESTS_TESTING_TEST_PKI_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/test_util.h"

namespace placement::testing {

inline constexpr char kOpenssl[] = "/usr/bin/openssl";

// A throwaway public-key infrastructure in a scratch folder: a CA with a
// server certificate for 127.0.0.1 and localhost and a client certificate,
// and a second CA with its own client certificate, which the first CA's
// holders must not trust. EC P-256 keys: quick to make (about 0.1 s in
// all). The constructor fails the current test when openssl fails.
// Not thread-safe; immutable once made.
class TestPki {
 public:
  TestPki() {
    MakeCa("ca");
    MakeCa("other_ca");
    MakeLeaf("server", "ca",
             "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
             "extendedKeyUsage=serverAuth\n"
             "basicConstraints=CA:FALSE\n");
    MakeLeaf("client", "ca",
             "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
    MakeLeaf("other_client", "other_ca",
             "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
  }

  // "<name>.pem" (certificate) or "<name>.key" (private key).
  std::string File(const std::string& name) const { return dir_.File(name); }
  std::string Read(const std::string& name) const {
    return ReadFileOrDie(File(name));
  }

  // Server flags for TLS, and for TLS that requires client certificates.
  std::vector<std::string> ServerFlags() const {
    return {"--tls_cert=" + File("server.pem"),
            "--tls_key=" + File("server.key")};
  }
  std::vector<std::string> MutualServerFlags() const {
    std::vector<std::string> flags = ServerFlags();
    flags.push_back("--tls_client_ca=" + File("ca.pem"));
    return flags;
  }

  // Client credentials trusting `ca` ("ca" or "other_ca"), presenting the
  // certificate `client` ("client", "other_client") unless empty.
  std::shared_ptr<grpc::ChannelCredentials> Trusting(
      const std::string& ca, const std::string& client = "") const {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Read(ca + ".pem");
    if (!client.empty()) {
      options.pem_cert_chain = Read(client + ".pem");
      options.pem_private_key = Read(client + ".key");
    }
    return grpc::SslCredentials(options);
  }

 private:
  void Openssl(std::vector<std::string> args) {
    // Through env, so that a missing openssl is a failed assertion with the
    // hint below rather than an aborted test binary.
    args.insert(args.begin(), kOpenssl);
    args.insert(args.begin(), "/usr/bin/env");
    std::string output;
    const int code = RunAndCapture(args, &output);
    ASSERT_EQ(code, 0) << "openssl failed (is the Debian package openssl "
                          "installed? scripts/install-deps installs it):\n"
                       << output;
  }

  void MakeCa(const std::string& name) {
    Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
             File(name + ".key"), "-out", File(name + ".pem"), "-days", "2",
             "-subj", "/CN=Placement test " + name, "-addext",
             "basicConstraints=critical,CA:TRUE", "-addext",
             "keyUsage=critical,keyCertSign"});
  }

  void MakeLeaf(const std::string& name, const std::string& ca,
                const std::string& extensions) {
    WriteFileOrDie(File(name + ".ext"), extensions);
    Openssl({"req", "-new", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
             File(name + ".key"), "-out", File(name + ".csr"), "-subj",
             "/CN=" + name});
    Openssl({"x509", "-req", "-in", File(name + ".csr"), "-CA",
             File(ca + ".pem"), "-CAkey", File(ca + ".key"), "-set_serial",
             absl::StrCat(++serial_), "-days", "2", "-out", File(name + ".pem"),
             "-extfile", File(name + ".ext")});
  }

  ScratchDir dir_;
  int serial_ = 0;
};

}  // namespace placement::testing

#endif  // PLACEMENT_TESTS_TESTING_TEST_PKI_H_
