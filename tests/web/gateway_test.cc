// placement-web end to end: a real placement-server (temporary database
// seeded from data/demo) and a real gateway on free loopback ports, spoken
// to over HTTP as the console does. Each test starts its own pair.

#include <httplib.h>
#include <signal.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/employer_service.grpc.pb.h"
#include "placement/v1/reference_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "placement/v1/rematch_service.pb.h"
#include "tests/testing/running_server.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/test_pki.h"
#include "tests/testing/test_util.h"
#include "web/connect.h"

namespace placement::web {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kAdminToken;
using ::placement::testing::kCoachPrincipal;
using ::placement::testing::kCoachToken;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOperatorToken;
using ::placement::testing::kOtherCoachToken;
using ::placement::testing::ReadFileOrDie;
using ::placement::testing::RunAndCapture;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::placement::testing::Subprocess;
using ::placement::testing::WaitForFile;
using ::placement::testing::WriteFileOrDie;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr char kCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' "
    "data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri "
    "'none'; form-action 'self'; frame-ancestors 'none'";

// A placement-web process on 127.0.0.1 with a free port, in front of
// `server_address`, serving `console_dir`.
class RunningGateway {
 public:
  RunningGateway(const ScratchDir& scratch, const std::string& server_address,
                 const std::string& console_dir,
                 std::vector<std::string> extra_flags = {})
      : log_path_(scratch.File("web.log")),
        port_file_(scratch.File("web.port")) {
    std::remove(port_file_.c_str());
    std::vector<std::string> argv = {
        PLACEMENT_WEB_PATH, "--listen=127.0.0.1:0", "--port_file=" + port_file_,
        "--server=" + server_address, "--console_dir=" + console_dir};
    argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
    process_ = std::make_unique<Subprocess>(argv, log_path_);
    const std::string port = WaitForFile(port_file_, absl::Seconds(30));
    EXPECT_FALSE(port.empty()) << ReadFileOrDie(log_path_);
    EXPECT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(port), &port_));
  }
  ~RunningGateway() {
    if (process_ == nullptr || !process_->running()) return;
    process_->Signal(SIGTERM);
    const std::optional<int> code = process_->Wait(absl::Seconds(30));
    EXPECT_EQ(code, 0) << "placement-web did not stop cleanly:\n" << log();
  }
  RunningGateway(const RunningGateway&) = delete;
  RunningGateway& operator=(const RunningGateway&) = delete;

  int port() const { return port_; }
  std::string log() const { return ReadFileOrDie(log_path_); }

 private:
  std::string log_path_;
  std::string port_file_;
  int port_ = 0;
  std::unique_ptr<Subprocess> process_;
};

// An HTTP client of the gateway that keeps the session cookie, as a
// browser does.
class Browser {
 public:
  explicit Browser(int port) : client_("127.0.0.1", port) {
    client_.set_url_encode(false);
    client_.set_read_timeout(60, 0);
  }

  httplib::Result Post(const std::string& path, const std::string& body,
                       bool connect_header = true,
                       const std::string& content_type = "application/json") {
    httplib::Headers headers = Cookie();
    if (connect_header) headers.emplace("Connect-Protocol-Version", "1");
    httplib::Result result =
        client_.Post(path.c_str(), headers, body, content_type.c_str());
    Remember(result);
    return result;
  }
  httplib::Result Get(const std::string& path) {
    httplib::Result result = client_.Get(path.c_str(), Cookie());
    Remember(result);
    return result;
  }
  // A unary call: the response body; `status` gets the HTTP status.
  std::string Call(const std::string& service_method, const std::string& body,
                   int* status = nullptr) {
    httplib::Result result = Post("/placement.v1." + service_method, body);
    if (!result) {
      ADD_FAILURE() << service_method << ": no response";
      return "";
    }
    if (status != nullptr) *status = result->status;
    return result->body;
  }
  int SignIn(const std::string& token) {
    httplib::Result result =
        Post("/api/session", absl::StrCat("{\"token\":\"", token, "\"}"));
    return result ? result->status : -1;
  }

  const std::string& cookie() const { return cookie_; }
  void set_cookie(std::string cookie) { cookie_ = std::move(cookie); }

 private:
  httplib::Headers Cookie() const {
    httplib::Headers headers;
    if (!cookie_.empty()) headers.emplace("Cookie", cookie_);
    return headers;
  }
  void Remember(const httplib::Result& result) {
    if (!result || !result->has_header("Set-Cookie")) return;
    const std::string set = result->get_header_value("Set-Cookie");
    const std::string pair = std::string(*absl::StrSplit(set, ';').begin());
    cookie_ = absl::EndsWith(pair, "=") ? "" : pair;
  }

  httplib::Client client_;
  std::string cookie_;
};

google::protobuf::Struct ParseJson(const std::string& json) {
  google::protobuf::Struct parsed;
  const absl::Status status = JsonToMessage(json, parsed);
  EXPECT_TRUE(status.ok()) << status << ": " << json;
  return parsed;
}

std::string CodeOf(const std::string& json) {
  const google::protobuf::Struct parsed = ParseJson(json);
  auto it = parsed.fields().find("code");
  return it == parsed.fields().end() ? "" : it->second.string_value();
}

std::string MessageOf(const std::string& json) {
  const google::protobuf::Struct parsed = ParseJson(json);
  auto it = parsed.fields().find("message");
  return it == parsed.fields().end() ? "" : it->second.string_value();
}

// An ImportData request for openings whose CSV (at least `csv_bytes`, or
// exactly `exact_bytes` when given) lacks every column but id: the server
// refuses it by name once it arrives.
std::string ImportLackingColumns(size_t csv_bytes, size_t exact_bytes = 0) {
  std::string csv = "id\n";
  while (csv.size() < csv_bytes) csv += "O999999\n";
  if (exact_bytes > 0) csv.resize(exact_bytes, '\n');
  return absl::StrCat(
      R"({"kind":"DATA_KIND_OPENINGS","dryRun":true,"content":")",
      absl::Base64Escape(csv), "\"}");
}

void ExpectSecurityHeaders(const httplib::Response& response,
                           const std::string& what) {
  EXPECT_EQ(response.get_header_value("Content-Security-Policy"), kCsp) << what;
  EXPECT_EQ(response.get_header_value("X-Content-Type-Options"), "nosniff")
      << what;
  EXPECT_EQ(response.get_header_value("Referrer-Policy"), "no-referrer")
      << what;
  EXPECT_EQ(response.get_header_value("X-Frame-Options"), "DENY") << what;
}

class GatewayTest : public ::testing::Test {
 protected:
  GatewayTest() {
    const std::string console = ConsoleDir();
    std::filesystem::create_directories(console + "/assets");
    WriteFileOrDie(console + "/index.html",
                   "<!doctype html><title>Placering</title>");
    WriteFileOrDie(console + "/assets/app.js", "console.log(1);");
    WriteFileOrDie(console + "/assets/styles.css", "body{}");
    WriteFileOrDie(console + "/assets/sweden.json", "{}");
    WriteFileOrDie(console + "/assets/logo.svg", "<svg/>");
    WriteFileOrDie(console + "/assets/logo.png", "\x89PNG");
    WriteFileOrDie(console + "/assets/font.woff2", "wOF2");
    WriteFileOrDie(scratch_.File("secret.txt"), "not for the web");
    server_ = std::make_unique<RunningServer>(scratch_);
  }

  std::string ConsoleDir() const { return scratch_.File("console"); }
  RunningGateway& gateway() {
    if (gateway_ == nullptr) StartGateway({});
    return *gateway_;
  }
  void StartGateway(std::vector<std::string> flags) {
    gateway_ = std::make_unique<RunningGateway>(scratch_, server_->address(),
                                                ConsoleDir(), flags);
  }
  Browser SignedIn(const std::string& token) {
    Browser browser(gateway().port());
    EXPECT_EQ(browser.SignIn(token), 200) << token;
    return browser;
  }

  ScratchDir scratch_;
  std::unique_ptr<RunningServer> server_;
  std::unique_ptr<RunningGateway> gateway_;
};

TEST_F(GatewayTest, SignInWithAGoodTokenStartsASessionBehindAStrictCookie) {
  Browser browser(gateway().port());
  httplib::Result result =
      browser.Post("/api/session", R"({"token":"demo-coach-haninge-0136-01"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200) << result->body;
  const google::protobuf::Struct body = ParseJson(result->body);
  EXPECT_EQ(body.fields().at("principalId").string_value(), kCoachPrincipal);
  EXPECT_EQ(body.fields().at("role").string_value(), "coach");
  EXPECT_THAT(result->get_header_value("Set-Cookie"),
              MatchesRegex("placement_session=[0-9a-f]{64}; HttpOnly; "
                           "SameSite=Strict; Path=/"));
  EXPECT_EQ(result->get_header_value("Cache-Control"), "no-store");
  // The token is not in the cookie, nor anywhere in the answer.
  EXPECT_THAT(result->get_header_value("Set-Cookie"), Not(HasSubstr("demo")));
  EXPECT_THAT(result->body, Not(HasSubstr(kCoachToken)));

  result = browser.Get("/api/session");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(ParseJson(result->body).fields().at("principalId").string_value(),
            kCoachPrincipal);

  // Each role signs in with its slug.
  for (const auto& [token, role] :
       std::vector<std::pair<std::string, std::string>>{
           {kEmployerToken, "employer_contact"},
           {kOperatorToken, "operator"},
           {kAdminToken, "admin"}}) {
    Browser other(gateway().port());
    httplib::Result signed_in =
        other.Post("/api/session", absl::StrCat("{\"token\":\"", token, "\"}"));
    ASSERT_TRUE(signed_in);
    EXPECT_EQ(ParseJson(signed_in->body).fields().at("role").string_value(),
              role);
  }
  // The log has one line per request, without tokens or cookies.
  const std::string log = gateway().log();
  EXPECT_THAT(log, HasSubstr("POST /api/session 200"));
  EXPECT_THAT(log, Not(HasSubstr("demo-")));
  EXPECT_THAT(log, Not(HasSubstr(browser.cookie().substr(18))));
}

TEST_F(GatewayTest, SignInWithABadTokenIsUnauthenticatedAndSetsNoCookie) {
  Browser browser(gateway().port());
  httplib::Result result =
      browser.Post("/api/session", R"({"token":"not-a-token-anyone-has"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(CodeOf(result->body), "unauthenticated");
  EXPECT_FALSE(result->has_header("Set-Cookie"));
  // No token at all, or not a string: a bad request.
  result = browser.Post("/api/session", R"({})");
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(CodeOf(result->body), "invalid_argument");
  result = browser.Post("/api/session", R"({"token": 12})");
  EXPECT_EQ(result->status, 400);
  result = browser.Post("/api/session", R"({"token": )");
  EXPECT_EQ(result->status, 400);
}

TEST_F(GatewayTest, RepeatedFailedSignInsAreSlowedDown) {
  Browser browser(gateway().port());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(browser.SignIn("wrong-token-number-" + std::to_string(i)), 401)
        << i;
  }
  httplib::Result result =
      browser.Post("/api/session", R"({"token":"wrong-token-number-6"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 429);
  EXPECT_EQ(CodeOf(result->body), "resource_exhausted");
  int retry_after = 0;
  ASSERT_TRUE(
      absl::SimpleAtoi(result->get_header_value("Retry-After"), &retry_after));
  EXPECT_GE(retry_after, 1);
  // While refused, even the right token is not looked at.
  EXPECT_EQ(browser.SignIn(kCoachToken), 429);
  // After waiting, the right token signs in, and the count starts again.
  std::this_thread::sleep_for(std::chrono::seconds(retry_after));
  EXPECT_EQ(browser.SignIn(kCoachToken), 200);
  EXPECT_EQ(browser.SignIn("wrong-token-number-7"), 401);
}

TEST_F(GatewayTest, WithoutASessionEveryCallIsUnauthenticated) {
  Browser browser(gateway().port());
  int status = 0;
  std::string body = browser.Call("CoachService/SuggestOpenings",
                                  R"({"participantId":"P0000012"})", &status);
  EXPECT_EQ(status, 401);
  EXPECT_EQ(CodeOf(body), "unauthenticated");
  httplib::Result result = browser.Get("/api/session");
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(browser.Get("/api/runs/R000001/progress")->status, 401);
  EXPECT_EQ(browser.Get("/api/export?kind=openings")->status, 401);
  // A made-up cookie is no better.
  browser.set_cookie(absl::StrCat("placement_session=", std::string(64, 'a')));
  body = browser.Call("AccountService/WhoAmI", "{}", &status);
  EXPECT_EQ(status, 401);
  EXPECT_EQ(CodeOf(body), "unauthenticated");
}

TEST_F(GatewayTest, APostWithoutTheConnectHeaderIsRefused) {
  Browser browser = SignedIn(kCoachToken);
  // A cross-site form can send neither the header nor this content type.
  httplib::Result result =
      browser.Post("/placement.v1.CoachService/SuggestOpenings",
                   R"({"participantId":"P0000012"})", /*connect_header=*/false);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(result->body,
            R"({"code":"invalid_argument","message":"missing header )"
            R"(Connect-Protocol-Version: 1"})");
  result = browser.Post("/api/session", R"({"token":"x"})", false);
  EXPECT_EQ(result->status, 400);
  result = browser.Post("/api/session/end", "", false);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(browser.Get("/api/session")->status, 200) << "still signed in";
  // A form's content type is refused too.
  result = browser.Post("/placement.v1.CoachService/SuggestOpenings",
                        "participantId=P0000012", true,
                        "application/x-www-form-urlencoded");
  EXPECT_EQ(result->status, 415);
  EXPECT_EQ(CodeOf(result->body), "invalid_argument");
}

TEST_F(GatewayTest, AnIdleSessionEnds) {
  StartGateway({"--session_idle_seconds=1.5"});
  Browser browser = SignedIn(kCoachToken);
  // In use: it lives on past the idle limit.
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    ASSERT_EQ(browser.Get("/api/session")->status, 200) << i;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  httplib::Result result = browser.Get("/api/session");
  EXPECT_EQ(result->status, 401);
  int status = 0;
  browser.Call("AccountService/WhoAmI", "{}", &status);
  EXPECT_EQ(status, 401);
}

TEST_F(GatewayTest, SignOutEndsTheSessionAndClearsTheCookie) {
  Browser browser = SignedIn(kCoachToken);
  const std::string cookie = browser.cookie();
  httplib::Result result = browser.Post("/api/session/end", "");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 204);
  EXPECT_EQ(result->get_header_value("Set-Cookie"),
            "placement_session=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/");
  // The old cookie, kept by someone, is worth nothing now.
  browser.set_cookie(cookie);
  EXPECT_EQ(browser.Get("/api/session")->status, 401);
  int status = 0;
  browser.Call("AccountService/WhoAmI", "{}", &status);
  EXPECT_EQ(status, 401);
}

TEST_F(GatewayTest, ACoachsSuggestionsThroughTheGatewayEqualTheDirectAnswer) {
  Browser browser = SignedIn(kCoachToken);
  int status = 0;
  const std::string json = browser.Call(
      "CoachService/SuggestOpenings",
      R"({"participantId":"P0000012","k":5,)"
      R"("filters":{"maxTravelMinutes":90},"language":"LANGUAGE_SV"})",
      &status);
  ASSERT_EQ(status, 200) << json;
  v1::SuggestOpeningsResponse through_gateway;
  ASSERT_TRUE(JsonToMessage(json, through_gateway).ok()) << json;

  v1::SuggestOpeningsRequest request;
  request.set_participant_id("P0000012");
  request.set_k(5);
  request.mutable_filters()->set_max_travel_minutes(90);
  request.set_language(v1::LANGUAGE_SV);
  v1::SuggestOpeningsResponse direct;
  ASSERT_TRUE(v1::CoachService::NewStub(server_->channel())
                  ->SuggestOpenings(CallAs(kCoachToken).get(), request, &direct)
                  .ok());
  EXPECT_GT(direct.suggestions_size(), 0);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      through_gateway, direct))
      << json;
  // Names as the console reads them.
  EXPECT_THAT(json, HasSubstr("\"openingId\":"));
  EXPECT_THAT(json, HasSubstr("\"SCORE_COMPONENT_TRAVEL\""));
}

TEST_F(GatewayTest, ACoachAskingForAnotherCoachsParticipantIsDenied) {
  // A participant of the Malmö coach's caseload.
  v1::ListParticipantsResponse theirs;
  ASSERT_TRUE(v1::ParticipantRegistry::NewStub(server_->channel())
                  ->ListParticipants(CallAs(kOtherCoachToken).get(),
                                     v1::ListParticipantsRequest(), &theirs)
                  .ok());
  ASSERT_GT(theirs.participants_size(), 0);
  const std::string other = theirs.participants(0).id();

  Browser browser = SignedIn(kCoachToken);
  int status = 0;
  std::string body = browser.Call(
      "CoachService/SuggestOpenings",
      absl::StrCat("{\"participantId\":\"", other, "\"}"), &status);
  EXPECT_EQ(status, 403) << body;
  EXPECT_EQ(CodeOf(body), "permission_denied");
  body = browser.Call("ParticipantRegistry/GetParticipant",
                      absl::StrCat("{\"participantId\":\"", other, "\"}"),
                      &status);
  EXPECT_EQ(status, 403) << body;
  EXPECT_EQ(CodeOf(body), "permission_denied");
  EXPECT_THAT(body, Not(HasSubstr("supportNeeds")));
}

TEST_F(GatewayTest, AnEmployersCandidatesCarryNoSupportNeed) {
  // Need codes that are not also names of supports an opening offers, and
  // every need's label.
  v1::ListSupportNeedsResponse needs;
  ASSERT_TRUE(v1::ReferenceDataService::NewStub(server_->channel())
                  ->ListSupportNeeds(CallAs(kEmployerToken).get(),
                                     v1::ListReferenceRequest(), &needs)
                  .ok());
  v1::ListSupportsResponse supports;
  ASSERT_TRUE(v1::ReferenceDataService::NewStub(server_->channel())
                  ->ListSupports(CallAs(kEmployerToken).get(),
                                 v1::ListReferenceRequest(), &supports)
                  .ok());
  std::set<std::string> support_codes;
  for (const auto& s : supports.supports()) support_codes.insert(s.code());

  Browser browser = SignedIn(kEmployerToken);
  int status = 0;
  int candidates = 0;
  for (const std::string opening : {"O000001", "O000015", "O000122"}) {
    const std::string json = browser.Call(
        "EmployerService/SuggestCandidates",
        absl::StrCat("{\"openingId\":\"", opening, "\",\"k\":20}"), &status);
    ASSERT_EQ(status, 200) << json;
    v1::SuggestCandidatesResponse response;
    ASSERT_TRUE(JsonToMessage(json, response).ok());
    candidates += response.candidates_size();
    for (const auto& need : needs.needs()) {
      if (!support_codes.count(need.code())) {
        EXPECT_THAT(json, Not(HasSubstr(need.code()))) << opening;
      }
      EXPECT_THAT(json, Not(HasSubstr(need.label().sv()))) << opening;
      EXPECT_THAT(json, Not(HasSubstr(need.label().en()))) << opening;
    }
    EXPECT_THAT(json, Not(HasSubstr("supportNeeds")));
  }
  EXPECT_GT(candidates, 0) << "the test proves nothing without candidates";
}

TEST_F(GatewayTest, EveryResponseCarriesTheSecurityHeaders) {
  Browser browser(gateway().port());
  std::vector<std::pair<std::string, httplib::Result>> responses;
  responses.emplace_back("static", browser.Get("/"));
  responses.emplace_back("static 404", browser.Get("/missing.js"));
  responses.emplace_back("no session", browser.Get("/api/session"));
  responses.emplace_back("no header",
                         browser.Post("/api/session", "{}", false));
  responses.emplace_back("bad sign-in",
                         browser.Post("/api/session", R"({"token":"nope"})"));
  responses.emplace_back("unknown API path",
                         browser.Post("/api/nothing", "{}"));
  responses.emplace_back("too large",
                         browser.Post("/placement.v1.AccountService/WhoAmI",
                                      std::string(2 << 20, ' ')));
  ASSERT_EQ(browser.SignIn(kCoachToken), 200);
  responses.emplace_back("session", browser.Get("/api/session"));
  responses.emplace_back(
      "call", browser.Post("/placement.v1.AccountService/WhoAmI", "{}"));
  for (const auto& [what, result] : responses) {
    ASSERT_TRUE(result) << what;
    ExpectSecurityHeaders(*result, what);
    if (what != "static" && what != "static 404") {
      EXPECT_EQ(result->get_header_value("Cache-Control"), "no-store") << what;
      EXPECT_EQ(result->get_header_value("Content-Type"), "application/json")
          << what;
    }
  }
  EXPECT_EQ(responses[6].second->status, 413);
  EXPECT_EQ(CodeOf(responses[6].second->body), "resource_exhausted");
  EXPECT_EQ(responses[5].second->status, 404);
  EXPECT_EQ(CodeOf(responses[5].second->body), "not_found");
}

// The console's CSV import may be as large as the server takes (16 MiB of
// CSV, 21.3 MiB as base64 in JSON); every other body stays at 1 MiB.
TEST_F(GatewayTest, ImportBodiesHaveTheirOwnLargerLimit) {
  Browser admin = SignedIn(kAdminToken);
  // 1.5 MiB of CSV, 2 MiB of JSON: through the gateway to the server.
  httplib::Result import = admin.Post("/placement.v1.AdminService/ImportData",
                                      ImportLackingColumns(3 << 19));
  ASSERT_TRUE(import);
  EXPECT_EQ(import->status, 400) << import->body;
  EXPECT_EQ(CodeOf(import->body), "invalid_argument");
  EXPECT_EQ(MessageOf(import->body), "openings.csv:1: missing column 'kind'");

  // The largest file the server takes, 16 MiB (21.3 MiB of JSON), reaches
  // its import; one byte more is the server's refusal, not the gateway's.
  import = admin.Post("/placement.v1.AdminService/ImportData",
                      ImportLackingColumns(16 << 20, 16 << 20));
  ASSERT_TRUE(import);
  EXPECT_EQ(import->status, 400) << import->body;
  EXPECT_EQ(MessageOf(import->body), "openings.csv:1: missing column 'kind'");
  import = admin.Post("/placement.v1.AdminService/ImportData",
                      ImportLackingColumns((16 << 20) + 1, (16 << 20) + 1));
  ASSERT_TRUE(import);
  EXPECT_EQ(import->status, 429) << import->body;
  EXPECT_EQ(CodeOf(import->body), "resource_exhausted");
  EXPECT_EQ(MessageOf(import->body),
            "content: 16777217 bytes is above the limit of 16777216");

  // Above 24 MiB: refused by the gateway, naming the limit.
  import = admin.Post("/placement.v1.AdminService/ImportData",
                      ImportLackingColumns(18 << 20));
  ASSERT_TRUE(import);
  EXPECT_EQ(import->status, 413);
  EXPECT_EQ(CodeOf(import->body), "resource_exhausted");
  EXPECT_EQ(MessageOf(import->body),
            "request body above the limit of 25165824 bytes for this path");

  // The same 2 MiB to any other call: 413 at the 1 MiB limit.
  for (const std::string path :
       {"/placement.v1.AdminService/ExportData",
        "/placement.v1.AccountService/WhoAmI", "/api/session"}) {
    httplib::Result other = admin.Post(path, ImportLackingColumns(3 << 19));
    ASSERT_TRUE(other) << path;
    EXPECT_EQ(other->status, 413) << path;
    EXPECT_EQ(CodeOf(other->body), "resource_exhausted") << path;
    EXPECT_EQ(MessageOf(other->body),
              "request body above the limit of 1048576 bytes for this path")
        << path;
    ExpectSecurityHeaders(*other, path);
  }
  // The session and the gateway are unharmed.
  int status = 0;
  admin.Call("AccountService/WhoAmI", "{}", &status);
  EXPECT_EQ(status, 200);
}

TEST_F(GatewayTest, BodyLimitsAreFlagsAndBoundChunkedBodiesToo) {
  StartGateway({"--max_body_bytes=1000", "--max_import_body_bytes=6000"});
  Browser admin = SignedIn(kAdminToken);
  // 3000 bytes of CSV, 4 kB of JSON: under the import limit only.
  httplib::Result import = admin.Post("/placement.v1.AdminService/ImportData",
                                      ImportLackingColumns(3000));
  ASSERT_TRUE(import);
  EXPECT_EQ(import->status, 400) << import->body;
  EXPECT_EQ(MessageOf(import->body), "openings.csv:1: missing column 'kind'");
  httplib::Result other =
      admin.Post("/placement.v1.AccountService/WhoAmI", std::string(1001, ' '));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 413);
  EXPECT_EQ(MessageOf(other->body),
            "request body above the limit of 1000 bytes for this path");
  import = admin.Post("/placement.v1.AdminService/ImportData",
                      ImportLackingColumns(5000));
  ASSERT_TRUE(import);
  EXPECT_EQ(import->status, 413);
  EXPECT_EQ(MessageOf(import->body),
            "request body above the limit of 6000 bytes for this path");

  // A chunked body has no Content-Length to refuse up front; it is read
  // under the same limit and refused, without keeping more than that.
  httplib::Client client("127.0.0.1", gateway().port());
  httplib::Headers headers = {{"Connect-Protocol-Version", "1"},
                              {"Cookie", admin.cookie()}};
  int chunks = 0;
  httplib::Result chunked = client.Post(
      "/placement.v1.AccountService/WhoAmI", headers,
      [&chunks](size_t, httplib::DataSink& sink) {
        const std::string piece(500, ' ');
        if (chunks++ < 8) {
          sink.write(piece.data(), piece.size());
        } else {
          sink.done();
        }
        return true;
      },
      "application/json");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 413);
  EXPECT_EQ(MessageOf(chunked->body),
            "request body above the limit of 1000 bytes for this path");
  // Other methods with a body are bounded too, then refused as unrouted.
  httplib::Result put =
      client.Put("/placement.v1.AccountService/WhoAmI", headers,
                 std::string(2000, ' '), "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 413);
  put = client.Put("/anything", headers, "{}", "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 404);
  EXPECT_EQ(CodeOf(put->body), "not_found");
}

TEST_F(GatewayTest, OnlyUnaryMethodsOfTheV1ServicesAreRouted) {
  Browser browser = SignedIn(kOperatorToken);
  int status = 0;
  for (const std::string path :
       {"RematchService/WatchRun", "AdminService/ExportData",
        "RematchService/NoSuchMethod", "NoSuchService/StartRun",
        "EmployerService/StartRun"}) {
    const std::string body = browser.Call(path, "{}", &status);
    EXPECT_EQ(status, 404) << path;
    EXPECT_EQ(CodeOf(body), "not_found") << path;
  }
  httplib::Result result = browser.Post("/grpc.health.v1.Health/Check", "{}");
  EXPECT_EQ(result->status, 404);
  // Any v1 service, with nothing in the gateway naming it.
  const std::string skills = browser.Call("ReferenceDataService/ListSkills",
                                          R"({"query":"diskmaskin"})", &status);
  EXPECT_EQ(status, 200) << skills;
  EXPECT_THAT(skills, HasSubstr("9412.01"));
  // An unknown field is refused with its name.
  const std::string refused = browser.Call("ReferenceDataService/ListSkills",
                                           R"({"qery":"x"})", &status);
  EXPECT_EQ(status, 400);
  EXPECT_THAT(refused, HasSubstr("unknown field \\\"qery\\\""));
  // The Connect timeout header is honoured when well-formed.
  httplib::Headers timeout = {{"Cookie", browser.cookie()},
                              {"Connect-Protocol-Version", "1"},
                              {"Connect-Timeout-Ms", "15000"}};
  httplib::Client raw("127.0.0.1", gateway().port());
  result = raw.Post("/placement.v1.AccountService/WhoAmI", timeout, "{}",
                    "application/json");
  EXPECT_EQ(result->status, 200);
  for (const std::string bad : {"soon", "-5", "0", "12345678901"}) {
    timeout.erase("Connect-Timeout-Ms");
    timeout.emplace("Connect-Timeout-Ms", bad);
    result = raw.Post("/placement.v1.AccountService/WhoAmI", timeout, "{}",
                      "application/json");
    EXPECT_EQ(result->status, 400) << bad;
    EXPECT_THAT(result->body, HasSubstr("Connect-Timeout-Ms")) << bad;
  }
  // The server's own errors come through with their code.
  const std::string report = browser.Call("RematchService/GetRunReport",
                                          R"({"runId":"R999999"})", &status);
  EXPECT_EQ(status, 404) << report;
  EXPECT_EQ(CodeOf(report), "not_found");
}

// The events of a text/event-stream body, in order: (event, data).
std::vector<std::pair<std::string, std::string>> Events(
    const std::string& stream) {
  std::vector<std::pair<std::string, std::string>> events;
  for (absl::string_view block : absl::StrSplit(stream, "\n\n")) {
    std::string event;
    std::string data;
    for (absl::string_view line : absl::StrSplit(block, '\n')) {
      if (absl::ConsumePrefix(&line, "event: ")) event = std::string(line);
      if (absl::ConsumePrefix(&line, "data: ")) data = std::string(line);
    }
    if (!event.empty()) events.emplace_back(event, data);
  }
  return events;
}

TEST_F(GatewayTest, ARunsProgressStreamsToSucceeded) {
  Browser browser = SignedIn(kOperatorToken);
  int status = 0;
  const std::string started =
      browser.Call("RematchService/StartRun", R"({"seed":"7"})", &status);
  ASSERT_EQ(status, 200) << started;
  v1::Run run;
  ASSERT_TRUE(JsonToMessage(started, run).ok());
  ASSERT_FALSE(run.run_id().empty());

  httplib::Result result =
      browser.Get(absl::StrCat("/api/runs/", run.run_id(), "/progress"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/event-stream");
  EXPECT_EQ(result->get_header_value("Cache-Control"), "no-store");
  ExpectSecurityHeaders(*result, "progress");
  const auto events = Events(result->body);
  ASSERT_GE(events.size(), 2u) << result->body;
  EXPECT_EQ(events.back().first, "end");
  EXPECT_EQ(events.back().second, "{}");
  double percent = -1;
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    EXPECT_EQ(events[i].first, "progress") << result->body;
    v1::RunProgress progress;
    ASSERT_TRUE(JsonToMessage(events[i].second, progress).ok())
        << events[i].second;
    EXPECT_GE(progress.percent(), percent);
    percent = progress.percent();
  }
  v1::RunProgress last;
  ASSERT_TRUE(JsonToMessage(events[events.size() - 2].second, last).ok());
  EXPECT_EQ(last.state(), v1::RUN_STATE_SUCCEEDED);
  EXPECT_EQ(last.percent(), 100);

  // The run is listed (ListRuns came after the gateway was written: the
  // descriptor pool routes it without gateway code).
  const std::string runs = browser.Call("RematchService/ListRuns",
                                        R"({"page":{"pageSize":5}})", &status);
  EXPECT_EQ(status, 200) << runs;
  v1::ListRunsResponse listed;
  ASSERT_TRUE(JsonToMessage(runs, listed).ok()) << runs;
  ASSERT_GT(listed.runs_size(), 0) << runs;
  EXPECT_EQ(listed.runs(0).run_id(), run.run_id());
  EXPECT_EQ(listed.runs(0).state(), v1::RUN_STATE_SUCCEEDED);

  // An unknown run: an error event with the Connect code.
  result = browser.Get("/api/runs/R999999/progress");
  ASSERT_TRUE(result);
  const auto error = Events(result->body);
  ASSERT_EQ(error.size(), 1u) << result->body;
  EXPECT_EQ(error[0].first, "error");
  EXPECT_EQ(CodeOf(error[0].second), "not_found");
  // A coach may not watch runs: the server says so, in the stream.
  Browser coach = SignedIn(kCoachToken);
  result = coach.Get(absl::StrCat("/api/runs/", run.run_id(), "/progress"));
  const auto denied = Events(result->body);
  ASSERT_EQ(denied.size(), 1u) << result->body;
  EXPECT_EQ(CodeOf(denied[0].second), "permission_denied");
}

TEST_F(GatewayTest, AnAdminDownloadsTheExportAndOthersAreDenied) {
  Browser admin = SignedIn(kAdminToken);
  httplib::Result result = admin.Get("/api/export?kind=participants");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"),
            "text/csv; charset=utf-8");
  EXPECT_EQ(result->get_header_value("Content-Disposition"),
            "attachment; filename=\"participants.csv\"");
  EXPECT_THAT(result->body, HasSubstr("P0000500"));
  EXPECT_EQ(result->body.substr(0, result->body.find(',')), "id");
  result = admin.Get("/api/export?kind=openings");
  EXPECT_THAT(result->body, HasSubstr("O000150"));
  result = admin.Get("/api/export?kind=everything");
  EXPECT_EQ(result->status, 400);

  Browser employer = SignedIn(kEmployerToken);
  result = employer.Get("/api/export?kind=participants");
  EXPECT_EQ(result->status, 403);
  EXPECT_EQ(CodeOf(result->body), "permission_denied");
  EXPECT_THAT(result->body, Not(HasSubstr("P0000")));
}

TEST_F(GatewayTest, TheConsolesFilesAreServedWithTheirTypesAndNothingElse) {
  std::filesystem::create_symlink(scratch_.File("secret.txt"),
                                  ConsoleDir() + "/assets/link.txt");
  Browser browser(gateway().port());
  const std::vector<std::pair<std::string, std::string>> files = {
      {"/", "text/html; charset=utf-8"},
      {"/index.html", "text/html; charset=utf-8"},
      {"/assets/app.js", "text/javascript; charset=utf-8"},
      {"/assets/styles.css", "text/css; charset=utf-8"},
      {"/assets/sweden.json", "application/json"},
      {"/assets/logo.svg", "image/svg+xml"},
      {"/assets/logo.png", "image/png"},
      {"/assets/font.woff2", "font/woff2"},
  };
  for (const auto& [path, type] : files) {
    httplib::Result result = browser.Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 200) << path;
    EXPECT_EQ(result->get_header_value("Content-Type"), type) << path;
  }
  EXPECT_EQ(browser.Get("/")->body, "<!doctype html><title>Placering</title>");
  for (const std::string path :
       {"/missing.html", "/assets", "/../secret.txt",
        "/assets/../../secret.txt", "/%2e%2e/secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt",
        "/assets/link.txt", "/%2fetc%2fpasswd", "//etc/passwd"}) {
    httplib::Result result = browser.Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 404) << path;
    EXPECT_THAT(result->body, Not(HasSubstr("not for the web"))) << path;
    EXPECT_THAT(result->body, Not(HasSubstr("root:"))) << path;
  }
}

TEST_F(GatewayTest, FilesAreGzippedAtMostAndTheApiNever) {
  Browser browser = SignedIn(kCoachToken);
  httplib::Client raw("127.0.0.1", gateway().port());
  raw.set_decompress(false);
  const httplib::Headers accepts = {{"Accept-Encoding", "gzip, deflate, br"},
                                    {"Cookie", browser.cookie()}};
  httplib::Result result = raw.Get("/assets/app.js", accepts);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Encoding"), "gzip");
  result = raw.Get("/api/session", accepts);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_FALSE(result->has_header("Content-Encoding"));
  EXPECT_EQ(ParseJson(result->body).fields().at("role").string_value(),
            "coach");
  result = raw.Post("/placement.v1.AccountService/WhoAmI",
                    {{"Accept-Encoding", "gzip, br"},
                     {"Cookie", browser.cookie()},
                     {"Connect-Protocol-Version", "1"}},
                    "{}", "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_FALSE(result->has_header("Content-Encoding"));
}

TEST_F(GatewayTest, OverTlsTheCookieIsSecure) {
  ::placement::testing::TestPki pki;
  StartGateway({"--tls_cert=" + pki.File("server.pem"),
                "--tls_key=" + pki.File("server.key")});
  httplib::SSLClient client("127.0.0.1", gateway().port());
  client.set_ca_cert_path(pki.File("ca.pem").c_str());
  client.enable_server_certificate_verification(true);
  httplib::Result result = client.Post(
      "/api/session", {{"Connect-Protocol-Version", "1"}},
      absl::StrCat("{\"token\":\"", kCoachToken, "\"}"), "application/json");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);
  EXPECT_THAT(result->get_header_value("Set-Cookie"),
              MatchesRegex("placement_session=[0-9a-f]{64}; HttpOnly; "
                           "SameSite=Strict; Path=/; Secure"));
  EXPECT_EQ(result->get_header_value("Strict-Transport-Security"),
            "max-age=31536000");
}

TEST_F(GatewayTest, WhenTheServerIsDownCallsAreUnavailableAndNotFailures) {
  StartGateway({"--call_timeout=2s"});
  Browser browser = SignedIn(kCoachToken);
  server_.reset();  // stops it
  int status = 0;
  std::string body = browser.Call("AccountService/WhoAmI", "{}", &status);
  EXPECT_EQ(status, 503) << body;
  EXPECT_EQ(CodeOf(body), "unavailable");
  // A sign-in the server cannot answer is not held against the address.
  Browser other(gateway().port());
  for (int i = 0; i < 6; ++i) {
    httplib::Result result = other.Post(
        "/api/session", absl::StrCat("{\"token\":\"", kCoachToken, "\"}"));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 503) << i << ": " << result->body;
  }
  // The gateway itself still serves.
  EXPECT_EQ(browser.Get("/")->status, 200);
  EXPECT_EQ(browser.Get("/api/session")->status, 200);
}

TEST(GatewayFlagsTest, HelpExitsZeroAndPlainHttpOffLoopbackIsRefused) {
  std::string output;
  EXPECT_EQ(RunAndCapture({PLACEMENT_WEB_PATH, "--help"}, &output), 0);
  for (const char* flag :
       {"--listen", "--server", "--console_dir", "--session_idle_minutes",
        "--tls_cert", "--tls_key", "--server_ca", "--max_body_bytes"}) {
    EXPECT_THAT(output, HasSubstr(flag));
  }
  output.clear();
  EXPECT_EQ(RunAndCapture({PLACEMENT_WEB_PATH, "--listen=0.0.0.0:0"}, &output),
            1);
  EXPECT_THAT(output, HasSubstr("plain HTTP is allowed on loopback only"));
  output.clear();
  EXPECT_EQ(RunAndCapture({PLACEMENT_WEB_PATH, "--listen=127.0.0.1:0",
                           "--tls_cert=/nonexistent.pem"},
                          &output),
            1);
  EXPECT_THAT(output, HasSubstr("--tls_cert and --tls_key go together"));
}

}  // namespace
}  // namespace placement::web
