// What the commands of the `placement` CLI share: exit codes, the global
// flags, the channel, call preparation (deadline, token) and output helpers.
// Each group of commands lives in its own file and is dispatched from
// cli_main.cc.

#ifndef PLACEMENT_CLI_CLI_SUPPORT_H_
#define PLACEMENT_CLI_CLI_SUPPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "placement/v1/match.pb.h"

ABSL_DECLARE_FLAG(std::string, server);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(absl::Duration, timeout);
ABSL_DECLARE_FLAG(std::string, token);
ABSL_DECLARE_FLAG(std::string, token_file);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);
ABSL_DECLARE_FLAG(std::string, tls_server_name);
ABSL_DECLARE_FLAG(std::string, lang);

namespace placement::cli {

// Stable, for scripts; listed in `placement --help` and the README.
enum ExitCode {
  kOk = 0,
  kServerError = 1,  // the server answered with an error
  kUsage = 2,        // unknown command, a flag the command does not take,
                     // a bad value, argument or input file
  kUnreachable = 3,  // the server could not be reached in time (no
                     // connection: nothing listens, TLS failed, ...)
  kNotServing = 4,   // the server is up but NOT_SERVING (health)
  kDenied = 5,       // UNAUTHENTICATED or PERMISSION_DENIED
  // The server answered that it cannot do it now: UNAVAILABLE or
  // RESOURCE_EXHAUSTED (e.g. its disk is full or read-only: "the access log
  // cannot be written"), or no answer within --timeout once connected.
  // Worth a retry later; the server's log and health say more.
  kServerCannotNow = 6,
};

// Command-line arguments after flag parsing: args[0] is the program,
// args[1] the command.
using Args = std::vector<char*>;

// The channel to --server: plain text, or TLS when --tls_ca or a client
// certificate (--tls_cert with --tls_key) is given. TLS trusts the CA in
// --tls_ca (the system roots without it) and checks the server's certificate
// against the host of --server, or --tls_server_name when set.
// Flags that do not go together, or a --tls_* file that cannot be read, end
// the program with a message naming the flag and kUsage: every command needs
// the channel, so there is nothing to go on with.
std::shared_ptr<grpc::Channel> MakeChannel();

// Prints the error of a failed call to stderr and returns its exit code:
// "cannot reach <server>: ..." and kUnreachable only when the call never
// reached the server (UNAVAILABLE or DEADLINE_EXCEEDED while the channel
// of MakeChannel is not connected); otherwise "server error <CODE>: <the
// server's message>" and kDenied, kServerCannotNow or kServerError.
int ReportCallError(const grpc::Status& status);

// Prints a usage error to stderr and returns kUsage.
int UsageError(const std::string& message);

// Sets the deadline (--timeout) and the bearer token (--token, --token_file
// or PLACEMENT_TOKEN). A --token_file that cannot be read, is empty, or is
// readable by group or others ends the program with a message and kUsage.
void Prepare(grpc::ClientContext& context);

// One line of JSON (JSON lines): the message in proto JSON with the .proto
// field names, compact, then a newline. Unset fields are left out, so no
// enum prints as UNSPECIFIED.
void PrintJson(const google::protobuf::Message& message);

// PrintJson for each item: the --json form of a list.
template <typename Message>
void PrintJsonLines(const google::protobuf::RepeatedPtrField<Message>& items) {
  for (const Message& item : items) PrintJson(item);
}

// Reads FILE in proto JSON into `message` (cli/json_input.h: enum values
// may be named as tables print them); false, with a message on stderr naming
// the file and the problem, when it cannot.
bool ReadJsonFile(const std::string& path, google::protobuf::Message* message);

// "12 min by bike".
std::string Minutes(const v1::TravelEstimate& travel);

// The language to ask for: --lang for tables, both (UNSPECIFIED) with
// --json, so scripts get every text.
v1::Language RequestLanguage();
// `text` in the --lang language.
const std::string& InLanguage(const v1::LocalizedText& text);

// A table for people: the header, then the rows, columns padded to their
// widest cell counted in characters (UTF-8: "Hällefors" is 9 wide), the last
// column unpadded. Each row has as many cells as the header.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

// Reads a whole file; false (and a message on stderr) when it cannot.
bool ReadFile(const std::string& path, std::string* content);

// The day `text` ("2027-01-15") of flag --`flag` into `out`; otherwise
// INVALID_ARGUMENT whose message names the flag and the value. Whether the
// day exists is the server's to say.
absl::Status ReadDay(absl::string_view flag, const std::string& text,
                     v1::Date& out);

}  // namespace placement::cli

#endif  // PLACEMENT_CLI_CLI_SUPPORT_H_
