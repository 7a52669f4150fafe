#include "cli/cli_support.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/json_input.h"
#include "google/protobuf/util/json_util.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "Server address, host:port");
ABSL_FLAG(bool, json, false, "Print JSON instead of a readable table");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5), "Deadline for each call");
ABSL_FLAG(std::string, token, "",
          "Bearer token (default: the PLACEMENT_TOKEN environment variable)");
ABSL_FLAG(std::string, token_file, "",
          "File holding the bearer token (one line; must not be readable by "
          "group or others); for cron jobs and services, so the token is not "
          "on the command line");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA certificate(s) to trust for the server's certificate; "
          "enables TLS");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM client certificate chain, for servers that require one; "
          "enables TLS; needs --tls_key");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, lang, "en",
          "Language of the reasons in tables: en or sv (only that language "
          "is fetched); --json output carries both");
ABSL_FLAG(std::string, tls_server_name, "",
          "Name to check the server's certificate against instead of the "
          "host of --server (TLS only)");

namespace placement::cli {
namespace {

[[noreturn]] void ExitWithUsageError(const std::string& message) {
  std::fprintf(stderr, "placement: %s\n", message.c_str());
  std::exit(kUsage);
}

// The token in --token_file. Like ssh with a private key, a file that group
// or others may read (or write) is refused: the token is a password.
std::string ReadTokenFile(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    ExitWithUsageError(
        absl::StrCat("--token_file=", path, ": ", std::strerror(errno)));
  }
  if (!S_ISREG(info.st_mode)) {
    ExitWithUsageError(
        absl::StrCat("--token_file=", path, ": not a regular file"));
  }
  if ((info.st_mode & 077) != 0) {
    ExitWithUsageError(absl::StrFormat(
        "--token_file=%s: permissions %04o are too open; the token must not "
        "be readable by group or others. Fix with: chmod 600 %s",
        path, info.st_mode & 07777, path));
  }
  std::ifstream file(path, std::ios::binary);
  std::string content(std::istreambuf_iterator<char>(file), {});
  if (!file.is_open() || file.bad()) {
    ExitWithUsageError(
        absl::StrCat("--token_file=", path, ": cannot read the file"));
  }
  const absl::string_view token = absl::StripAsciiWhitespace(content);
  if (token.empty()) {
    ExitWithUsageError(
        absl::StrCat("--token_file=", path, ": the file is empty"));
  }
  if (absl::StrContains(token, '\n')) {
    ExitWithUsageError(absl::StrCat("--token_file=", path,
                                    ": holds more than one line; give the "
                                    "token alone"));
  }
  return std::string(token);
}

// --token, else --token_file, else PLACEMENT_TOKEN; --token with
// --token_file is a usage error.
std::string Token() {
  std::string token = absl::GetFlag(FLAGS_token);
  const std::string token_file = absl::GetFlag(FLAGS_token_file);
  if (!token_file.empty()) {
    if (!token.empty()) {
      ExitWithUsageError("give --token or --token_file, not both");
    }
    return ReadTokenFile(token_file);
  }
  if (token.empty()) {
    if (const char* from_env = std::getenv("PLACEMENT_TOKEN")) token = from_env;
  }
  return token;
}

// The content of the file named by --`flag`; exits when it cannot be read.
std::string ReadFlagFile(const std::string& flag, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::string content(std::istreambuf_iterator<char>(file), {});
  if (!file.is_open() || file.bad() || content.empty()) {
    ExitWithUsageError(absl::StrCat("--", flag, "=", path,
                                    ": cannot read the file or it is empty"));
  }
  return content;
}

// The channel MakeChannel made, to ask after a failed call whether it was
// connected. Not owned: the program's commands own it.
std::weak_ptr<grpc::Channel>& MadeChannel() {
  static std::weak_ptr<grpc::Channel> channel;
  return channel;
}

std::shared_ptr<grpc::Channel> NewChannel() {
  const std::string ca = absl::GetFlag(FLAGS_tls_ca);
  const std::string cert = absl::GetFlag(FLAGS_tls_cert);
  const std::string key = absl::GetFlag(FLAGS_tls_key);
  const std::string server_name = absl::GetFlag(FLAGS_tls_server_name);
  if (cert.empty() != key.empty()) {
    ExitWithUsageError(cert.empty() ? "--tls_key needs --tls_cert"
                                    : "--tls_cert needs --tls_key");
  }
  if (ca.empty() && cert.empty()) {
    if (!server_name.empty()) {
      ExitWithUsageError(
          "--tls_server_name needs TLS: give --tls_ca (or --tls_cert and "
          "--tls_key)");
    }
    return grpc::CreateChannel(absl::GetFlag(FLAGS_server),
                               grpc::InsecureChannelCredentials());
  }
  grpc::SslCredentialsOptions tls;
  if (!ca.empty()) tls.pem_root_certs = ReadFlagFile("tls_ca", ca);
  if (!cert.empty()) {
    tls.pem_cert_chain = ReadFlagFile("tls_cert", cert);
    tls.pem_private_key = ReadFlagFile("tls_key", key);
  }
  grpc::ChannelArguments arguments;
  if (!server_name.empty()) arguments.SetSslTargetNameOverride(server_name);
  return grpc::CreateCustomChannel(absl::GetFlag(FLAGS_server),
                                   grpc::SslCredentials(tls), arguments);
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel() {
  std::shared_ptr<grpc::Channel> channel = NewChannel();
  MadeChannel() = channel;
  return channel;
}

int ReportCallError(const grpc::Status& status) {
  const grpc::StatusCode code = status.error_code();
  // gRPC gives UNAVAILABLE (or, once the deadline passes while it still
  // tries, DEADLINE_EXCEEDED) both when it cannot connect and when the
  // server itself answers so (its disk is full, say). The channel tells
  // them apart: it is READY only while it is connected to the server.
  if (code == grpc::StatusCode::UNAVAILABLE ||
      code == grpc::StatusCode::DEADLINE_EXCEEDED) {
    const std::shared_ptr<grpc::Channel> channel = MadeChannel().lock();
    const bool connected =
        channel != nullptr &&
        channel->GetState(/*try_to_connect=*/false) == GRPC_CHANNEL_READY;
    if (!connected) {
      std::fprintf(stderr, "placement: cannot reach %s: %s\n",
                   absl::GetFlag(FLAGS_server).c_str(),
                   status.error_message().c_str());
      return kUnreachable;
    }
  }
  const std::string name =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  if (code == grpc::StatusCode::DEADLINE_EXCEEDED) {
    std::fprintf(stderr,
                 "placement: server error %s: no answer within --timeout=%s\n",
                 name.c_str(),
                 absl::FormatDuration(absl::GetFlag(FLAGS_timeout)).c_str());
  } else {
    std::fprintf(stderr, "placement: server error %s: %s\n", name.c_str(),
                 status.error_message().c_str());
  }
  switch (code) {
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return kDenied;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return kServerCannotNow;
    default:
      return kServerError;
  }
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "placement: %s\n", message.c_str());
  return kUsage;
}

void Prepare(grpc::ClientContext& context) {
  context.set_deadline(
      std::chrono::system_clock::now() +
      absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_timeout)));
  const std::string token = Token();
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
}

void PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::printf("%s\n", json.c_str());
}

bool ReadJsonFile(const std::string& path, google::protobuf::Message* message) {
  std::string json;
  if (!ReadFile(path, &json)) return false;
  if (absl::Status s = JsonToMessage(json, *message); !s.ok()) {
    std::fprintf(stderr, "placement: %s: not a %s in proto JSON: %s\n",
                 path.c_str(), message->GetDescriptor()->name().c_str(),
                 std::string(s.message()).c_str());
    return false;
  }
  return true;
}

std::string Minutes(const v1::TravelEstimate& travel) {
  static const char* const kModes[] = {"", "on foot", "by bike",
                                       "by public transport", "by car"};
  const int mode = std::clamp(static_cast<int>(travel.mode()), 0, 4);
  return absl::StrFormat("%.0f min %s", travel.minutes(), kModes[mode]);
}

namespace {

size_t Width(const std::string& text) {
  size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

}  // namespace

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) widths[c] = Width(header[c]);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], Width(row[c]));
    }
  }
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line.append(widths[c] - Width(row[c]) + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  };
  print(header);
  for (const auto& row : rows) print(row);
}

bool ReadFile(const std::string& path, std::string* content) {
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) {
    std::fprintf(stderr, "placement: cannot read %s\n", path.c_str());
    return false;
  }
  content->assign(std::istreambuf_iterator<char>(file), {});
  return true;
}

v1::Language RequestLanguage() {
  if (absl::GetFlag(FLAGS_json)) return v1::LANGUAGE_UNSPECIFIED;
  return absl::GetFlag(FLAGS_lang) == "sv" ? v1::LANGUAGE_SV : v1::LANGUAGE_EN;
}

const std::string& InLanguage(const v1::LocalizedText& text) {
  return absl::GetFlag(FLAGS_lang) == "sv" ? text.sv() : text.en();
}

absl::Status ReadDay(absl::string_view flag, const std::string& text,
                     v1::Date& out) {
  int year = 0;
  int month = 0;
  int day = 0;
  char rest = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &rest) !=
      3) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, "=", text, ": expected YYYY-MM-DD"));
  }
  out.set_year(static_cast<uint32_t>(year));
  out.set_month(static_cast<uint32_t>(month));
  out.set_day(static_cast<uint32_t>(day));
  return absl::OkStatus();
}

}  // namespace placement::cli
