// placement-web-bench: what the web gateway adds to a call. The same
// CoachService.SuggestOpenings requests, in one run, alternately
//   direct   gRPC to placement-server (a blocking stub, the response parsed
//            into its message), and
//   gateway  JSON over HTTP/1.1 (keep-alive) to placement-web, which parses
//            the JSON, calls the server over gRPC with the session's token
//            and prints the answer as JSON (the body received in full);
// and reports the median and p99 latency of each and the difference.
//
// A run: a placement-server on a temporary copy of data/demo and a
// placement-web in front of it, both on 127.0.0.1 with free ports (or
// --server and --web naming running ones, with --token); the coach's caseload
// from ListParticipants; --warmup calls of each kind; then --iterations
// pairs, the order within a pair alternating. Before timing, every
// participant's gateway answer must equal the direct one (parsed back from
// JSON), or the tool exits 1.
//
//   build/release/benchmarks/placement-web-bench
//   build/release/benchmarks/placement-web-bench --iterations=5000 --k=20

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "benchmarks/child_process.h"
#include "benchmarks/latency.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "web/connect.h"

ABSL_FLAG(int, iterations, 2000, "Timed pairs (one direct, one gateway call)");
ABSL_FLAG(int, warmup, 200, "Untimed calls of each kind first");
ABSL_FLAG(int, k, 10, "Openings per SuggestOpenings call");
ABSL_FLAG(std::string, server, "",
          "gRPC address of a running placement-server (default: start one)");
ABSL_FLAG(std::string, web, "",
          "host:port of a running placement-web in front of --server");
ABSL_FLAG(std::string, token, "demo-coach-haninge-0136-01",
          "A coach's token: the calls are theirs");

namespace placement::benchmarks {
namespace {

std::string RequestJson(const std::string& participant, int k) {
  return absl::StrCat("{\"participantId\":\"", participant, "\",\"k\":", k,
                      "}");
}

int Run() {
  const std::string token = absl::GetFlag(FLAGS_token);
  const int k = absl::GetFlag(FLAGS_k);
  std::string server_address = absl::GetFlag(FLAGS_server);
  std::string web_address = absl::GetFlag(FLAGS_web);
  const std::filesystem::path work =
      std::filesystem::temp_directory_path() /
      absl::StrCat("placement-web-bench-", getpid());
  ChildProcess server;
  ChildProcess web;
  if (server_address.empty() != web_address.empty()) {
    std::fprintf(stderr, "--server and --web go together\n");
    return 2;
  }
  if (server_address.empty()) {
    std::filesystem::create_directories(work);
    const std::string data = PLACEMENT_DATA_DIR;
    absl::StatusOr<std::string> started = server.Start(
        {PLACEMENT_SERVER_PATH, "--listen=127.0.0.1:0",
         "--port_file=" + (work / "server.port").string(),
         "--db=" + (work / "demo.db").string(), "--data_dir=" + data,
         "--seed_from=" + data + "/demo",
         "--credentials=" + data + "/demo/credentials.csv",
         "--profile=" + data + "/profiles/default.csv"},
        (work / "server.log").string(), (work / "server.port").string());
    if (!started.ok()) {
      std::fprintf(stderr, "%s\n", started.status().ToString().c_str());
      return 1;
    }
    server_address = *started;
    started =
        web.Start({PLACEMENT_WEB_PATH, "--listen=127.0.0.1:0",
                   "--port_file=" + (work / "web.port").string(),
                   "--server=" + server_address},
                  (work / "web.log").string(), (work / "web.port").string());
    if (!started.ok()) {
      std::fprintf(stderr, "%s\n", started.status().ToString().c_str());
      return 1;
    }
    web_address = *started;
  }

  auto channel =
      grpc::CreateChannel(server_address, grpc::InsecureChannelCredentials());
  auto coach = v1::CoachService::NewStub(channel);
  auto call_as = [&token](grpc::ClientContext& context) {
    context.AddMetadata("authorization", "Bearer " + token);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
  };
  v1::ListParticipantsResponse caseload;
  {
    grpc::ClientContext context;
    call_as(context);
    const grpc::Status status =
        v1::ParticipantRegistry::NewStub(channel)->ListParticipants(
            &context, v1::ListParticipantsRequest(), &caseload);
    if (!status.ok() || caseload.participants_size() == 0) {
      std::fprintf(stderr, "ListParticipants: %s (%d participants)\n",
                   status.error_message().c_str(),
                   caseload.participants_size());
      return 1;
    }
  }
  std::vector<std::string> participants;
  for (const auto& p : caseload.participants()) participants.push_back(p.id());

  const std::vector<std::string> host_port = absl::StrSplit(web_address, ':');
  httplib::Client http(host_port[0], std::stoi(host_port[1]));
  http.set_keep_alive(true);
  http.set_tcp_nodelay(true);
  httplib::Headers headers = {{"Connect-Protocol-Version", "1"}};
  {
    httplib::Result signed_in = http.Post(
        "/api/session", headers, absl::StrCat("{\"token\":\"", token, "\"}"),
        "application/json");
    if (!signed_in || signed_in->status != 200) {
      std::fprintf(stderr, "sign-in through the gateway failed\n");
      return 1;
    }
    const std::string cookie = std::string(
        *absl::StrSplit(signed_in->get_header_value("Set-Cookie"), ';')
             .begin());
    headers.emplace("Cookie", cookie);
  }

  auto direct = [&](const std::string& participant,
                    v1::SuggestOpeningsResponse& response) {
    v1::SuggestOpeningsRequest request;
    request.set_participant_id(participant);
    request.set_k(static_cast<uint32_t>(k));
    grpc::ClientContext context;
    call_as(context);
    return coach->SuggestOpenings(&context, request, &response).ok();
  };
  auto through_gateway = [&](const std::string& participant,
                             std::string& body) {
    httplib::Result result =
        http.Post("/placement.v1.CoachService/SuggestOpenings", headers,
                  RequestJson(participant, k), "application/json");
    if (!result || result->status != 200) return false;
    body = std::move(result->body);
    return true;
  };

  // Known answers: the gateway says what the server says, for everyone.
  for (const std::string& participant : participants) {
    v1::SuggestOpeningsResponse expected;
    std::string body;
    v1::SuggestOpeningsResponse got;
    if (!direct(participant, expected) || !through_gateway(participant, body) ||
        !web::JsonToMessage(body, got).ok() ||
        !google::protobuf::util::MessageDifferencer::Equals(expected, got)) {
      std::fprintf(stderr, "%s: the gateway's answer differs from gRPC's\n",
                   participant.c_str());
      return 1;
    }
  }

  const int warmup = absl::GetFlag(FLAGS_warmup);
  const int iterations = absl::GetFlag(FLAGS_iterations);
  std::vector<double> direct_ms;
  std::vector<double> gateway_ms;
  size_t response_bytes = 0;  // all gateway answers timed, in total
  for (int i = 0; i < warmup + iterations; ++i) {
    const std::string& participant = participants[i % participants.size()];
    for (int leg = 0; leg < 2; ++leg) {
      const bool gateway_leg = (leg == 0) == (i % 2 == 0);
      const Clock::time_point start = Clock::now();
      bool ok;
      if (gateway_leg) {
        std::string body;
        ok = through_gateway(participant, body);
        if (i >= warmup) response_bytes += body.size();
      } else {
        v1::SuggestOpeningsResponse response;
        ok = direct(participant, response);
      }
      const double ms =
          std::chrono::duration<double, std::milli>(Clock::now() - start)
              .count();
      if (!ok) {
        std::fprintf(stderr, "a %s call failed\n",
                     gateway_leg ? "gateway" : "direct");
        return 1;
      }
      if (i >= warmup) (gateway_leg ? gateway_ms : direct_ms).push_back(ms);
    }
  }
  const double direct_median = Percentile(direct_ms, 0.5);
  const double gateway_median = Percentile(gateway_ms, 0.5);
  std::printf(
      "SuggestOpenings k=%d, %d participants of one caseload, %d pairs after "
      "%d warm-up\n"
      "%-28s %10s %10s\n"
      "%-28s %10.3f %10.3f\n"
      "%-28s %10.3f %10.3f\n"
      "%-28s %10.3f %10.3f\n"
      "(gateway answers %zu bytes of JSON on average)\n",
      k, static_cast<int>(participants.size()), iterations, warmup, "ms",
      "median", "p99", "direct gRPC", direct_median,
      Percentile(direct_ms, 0.99), "gateway (JSON over HTTP)", gateway_median,
      Percentile(gateway_ms, 0.99), "added by the gateway",
      gateway_median - direct_median,
      Percentile(gateway_ms, 0.99) - Percentile(direct_ms, 0.99),
      response_bytes / static_cast<size_t>(std::max(iterations, 1)));
  web.Stop();
  server.Stop();
  std::error_code ignored;
  std::filesystem::remove_all(work, ignored);
  return 0;
}

}  // namespace
}  // namespace placement::benchmarks

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Measures what placement-web adds to SuggestOpenings against direct "
      "gRPC.\nExample: placement-web-bench --iterations=2000");
  absl::ParseCommandLine(argc, argv);
  return placement::benchmarks::Run();
}
