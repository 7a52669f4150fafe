// The web gateway's request handling that does not need a server
// (web/connect.h, web/static_files.h, web/gateway.h): the first byte chooses
// a part. For a unary call the body is read as the request type of a
// placement.v1 method (ApiMessageTypes), as the gateway reads it: what
// parses prints as canonical JSON that parses back to the same message, and
// a refusal becomes a Connect error whose body is JSON. The other parts take
// a request path (ResolveStaticFile: never a file outside the console's
// directory), a listen address (SplitHostPort) and text for JsonQuote (never
// a raw quote, backslash, control character or markup character).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "web/connect.h"
#include "web/gateway.h"
#include "web/static_files.h"

namespace placement::fuzz {
namespace {

void ConnectErrorIsJson(const absl::Status& status) {
  const web::ConnectError error = web::ConnectErrorOf(status);
  google::protobuf::Struct body;
  Check(google::protobuf::util::JsonStringToMessage(error.body, &body).ok(),
        "a Connect error's body is JSON");
  Check(error.http_status >= 400 && error.http_status < 600,
        "a Connect error has an HTTP error status");
}

// The first byte of `input` chooses the request type, the rest is the body.
void UnaryBody(absl::string_view input) {
  if (input.empty()) return;
  const uint8_t selector = static_cast<uint8_t>(input[0]);
  const absl::string_view body = input.substr(1);
  const auto& types = ApiMessageTypes();
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          types[selector % types.size()]);
  std::unique_ptr<google::protobuf::Message> request(prototype->New());
  const absl::Status parsed = web::JsonToMessage(body, *request);
  if (!parsed.ok()) {
    ConnectErrorIsJson(parsed);
    return;
  }
  const std::string json = web::MessageToJson(*request);
  std::unique_ptr<google::protobuf::Message> again(prototype->New());
  Check(web::JsonToMessage(json, *again).ok(),
        "the gateway's JSON of a request reads back");
  if (FieldMasksRoundTrip(*request)) {
    Check(google::protobuf::util::MessageDifferencer::Equals(*request, *again),
          "the gateway's JSON of a request reads back as the same request");
  }
}

const std::filesystem::path& ConsoleRoot() {
  static const auto* root = [] {
    auto* made = new std::filesystem::path(ScratchDir() + "/console");
    std::filesystem::create_directories(*made / "assets");
    WriteFileOrDie((*made / "index.html").string(), "<!doctype html>");
    WriteFileOrDie((*made / "assets" / "app.js").string(), "");
    WriteFileOrDie(ScratchDir() + "/secret.txt", "outside the root");
    return made;
  }();
  return *root;
}

void StaticPath(absl::string_view path) {
  const std::optional<std::filesystem::path> file =
      web::ResolveStaticFile(ConsoleRoot(), path);
  if (!file.has_value()) return;
  const std::string resolved =
      std::filesystem::weakly_canonical(*file).string();
  const std::string root =
      std::filesystem::weakly_canonical(ConsoleRoot()).string() + "/";
  Check(absl::StartsWith(resolved, root),
        "a static file resolves inside the console's directory");
  Check(std::filesystem::is_regular_file(*file),
        "a static file is a regular file");
  (void)web::ContentTypeFor(*file);
}

void HostPort(absl::string_view address) {
  std::string host;
  int port = -1;
  if (web::SplitHostPort(std::string(address), "--listen", host, port).ok()) {
    Check(port >= 0 && port <= 65535, "a port is 0..65535");
    (void)web::IsLoopbackHost(host);
  }
}

void Quote(absl::string_view text) {
  const std::string quoted = web::JsonQuote(text);
  Check(quoted.size() >= 2 && quoted.front() == '"' && quoted.back() == '"',
        "JsonQuote quotes");
  const absl::string_view inside(quoted.data() + 1, quoted.size() - 2);
  for (size_t i = 0; i < inside.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(inside[i]);
    Check(c >= 0x20 && c != '<' && c != '>' && c != '&',
          "JsonQuote leaves no control or markup character");
    if (c == '\\') {
      ++i;  // the escaped character
    } else {
      Check(c != '"', "JsonQuote escapes quotes");
    }
  }
}

}  // namespace
}  // namespace placement::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace placement::fuzz;
  const Selected input = Select(data, size);
  // The low three bits choose the part; unary bodies are most of the inputs.
  switch (input.selector & 0x7) {
    case 0:
      StaticPath(input.rest);
      break;
    case 1:
      HostPort(input.rest);
      break;
    case 2:
      Quote(input.rest);
      break;
    default:
      UnaryBody(input.rest);
      break;
  }
  return 0;
}
