// placement-lifecycle-bench: what a coach waits for when holding a place and
// starting a placement, through a real placement-server with its durable
// store, at 100,000 participants × 20,000 openings (generated, seed 7).
//
// A run:
//   1. Data: a population from placement-datagen's generator written to a
//      temporary folder, with one coach token per caseload; a real
//      placement-server on 127.0.0.1 (port 0) seeded from it.
//   2. For --iterations ACTIVE participants (distinct, in a seeded order),
//      one after another, as their own coach:
//        suggest  CoachService.SuggestOpenings (k=10): the read a hold starts
//                 from, and the baseline of the same run;
//        hold     PlacementService.HoldPlace on the best suggestion with a
//                 free place (one refused for a place just taken is counted,
//                 not timed, and the next suggestion tried);
//        start    PlacementService.StartPlacement from that hold;
//        end      PlacementService.EndPlacement, outcome COMPLETED, so the
//                 place is free again and the population stays as generated.
//      A further --warmup participants go first, untimed.
//      After each participant, in this process on the same data: one
//      Snapshot::WithOpening and one WithParticipant (a hold rebuilds the
//      opening side of the server's snapshot once; a start or an end both
//      sides), so the report says how much of a write is that rebuild.
//   3. Report: per call the median, p90 and p99 in milliseconds and the
//      median's ratio to the suggestion's (--json: one line).
//
// Every write is acknowledged only once committed to disk (the store's
// commit and the access log), so the figures include an fsync.
// Any call that fails for another reason makes the tool exit 1.
//
//   build/release/benchmarks/placement-lifecycle-bench
//   placement-lifecycle-bench --participants=2000 --openings=400
//   --iterations=20

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "benchmarks/benchmark_support.h"
#include "benchmarks/child_process.h"
#include "benchmarks/latency.h"
#include "benchmarks/population_files.h"
#include "engine/dataset.h"
#include "engine/matcher.h"
#include "engine/population_generator.h"
#include "grpcpp/grpcpp.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"

ABSL_FLAG(int, participants, 100'000, "Participants to generate");
ABSL_FLAG(int, openings, 20'000, "Openings to generate");
ABSL_FLAG(uint64_t, seed, 7, "Seed of the data and of the participant order");
ABSL_FLAG(int, iterations, 300,
          "Participants taken through suggest, hold, start and end (timed)");
ABSL_FLAG(int, warmup, 20, "Participants taken through it first, untimed");
ABSL_FLAG(bool, json, false, "Print one JSON line instead of the table");
ABSL_FLAG(bool, keep_work_dir, false, "Keep the temporary folder afterwards");

namespace placement::benchmarks {
namespace {

namespace v1 = ::placement::v1;
int Fail(const std::string& message) {
  std::fprintf(stderr, "placement-lifecycle-bench: %s\n", message.c_str());
  return 1;
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("code ", status.error_code(), ": ",
                      status.error_message());
}

// The four calls of one participant; their latencies go to `timings` when
// `timed`. Returns an error text, or "" on success. `refused` counts holds
// refused because the place was just taken (FAILED_PRECONDITION).
std::string OneParticipant(v1::CoachService::Stub& coach,
                           v1::PlacementService::Stub& placements,
                           const std::string& bearer,
                           const std::string& participant, bool timed,
                           std::map<std::string, std::vector<double>>& timings,
                           int& refused) {
  auto call = [&](auto&& rpc, const char* name) -> grpc::Status {
    grpc::ClientContext context;
    context.AddMetadata("authorization", bearer);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    const Clock::time_point start = Clock::now();
    grpc::Status status = rpc(context);
    if (timed && status.ok())
      timings[name].push_back(Millis(Clock::now() - start));
    return status;
  };

  v1::SuggestOpeningsRequest suggest_request;
  suggest_request.set_participant_id(participant);
  suggest_request.set_k(10);
  suggest_request.set_language(v1::LANGUAGE_SV);
  v1::SuggestOpeningsResponse suggestions;
  if (grpc::Status s = call(
          [&](grpc::ClientContext& c) {
            return coach.SuggestOpenings(&c, suggest_request, &suggestions);
          },
          "suggest");
      !s.ok()) {
    return absl::StrCat("SuggestOpenings ", participant, ": ", Describe(s));
  }
  v1::Hold hold;
  bool held = false;
  for (const v1::Match& match : suggestions.suggestions()) {
    v1::HoldPlaceRequest request;
    request.set_participant_id(participant);
    request.set_opening_id(match.opening_id());
    grpc::Status s = call(
        [&](grpc::ClientContext& c) {
          return placements.HoldPlace(&c, request, &hold);
        },
        "hold");
    if (s.ok()) {
      held = true;
      break;
    }
    if (s.error_code() != grpc::StatusCode::FAILED_PRECONDITION) {
      return absl::StrCat("HoldPlace ", participant, " in ", match.opening_id(),
                          ": ", Describe(s));
    }
    ++refused;
  }
  if (!held) return "";  // nothing free among the suggestions: next one
  v1::StartPlacementRequest start_request;
  start_request.set_participant_id(participant);
  start_request.set_hold_id(hold.hold_id());
  v1::StartPlacementResponse started;
  if (grpc::Status s = call(
          [&](grpc::ClientContext& c) {
            return placements.StartPlacement(&c, start_request, &started);
          },
          "start");
      !s.ok()) {
    return absl::StrCat("StartPlacement ", hold.hold_id(), ": ", Describe(s));
  }
  v1::EndPlacementRequest end_request;
  end_request.set_placement_id(started.placement().placement_id());
  end_request.set_outcome(v1::PLACEMENT_OUTCOME_COMPLETED);
  v1::PlacementRecord ended;
  if (grpc::Status s = call(
          [&](grpc::ClientContext& c) {
            return placements.EndPlacement(&c, end_request, &ended);
          },
          "end");
      !s.ok()) {
    return absl::StrCat("EndPlacement ", end_request.placement_id(), ": ",
                        Describe(s));
  }
  return "";
}

int Run() {
  std::shared_ptr<const ReferenceData> reference = SharedReference();
  const WorkFolder folder("placement-lifecycle-bench",
                          absl::GetFlag(FLAGS_keep_work_dir));
  if (folder.path().empty()) return Fail("cannot create a work folder");
  const std::filesystem::path& work = folder.path();

  const GeneratorConfig config{
      .seed = absl::GetFlag(FLAGS_seed),
      .participants = absl::GetFlag(FLAGS_participants),
      .openings = absl::GetFlag(FLAGS_openings)};
  const std::string dataset = (work / "data").string();
  std::filesystem::create_directories(dataset);
  if (absl::Status s = WritePopulation(config, *reference, dataset); !s.ok()) {
    return Fail(s.ToString());
  }
  absl::StatusOr<ParticipantRows> rows =
      ReadParticipantsCsv(dataset + "/participants.csv", *reference);
  if (!rows.ok()) return Fail(rows.status().ToString());
  absl::StatusOr<OpeningRows> opening_rows =
      ReadOpeningsCsv(dataset + "/openings.csv", *reference);
  if (!opening_rows.ok()) return Fail(opening_rows.status().ToString());
  const std::string credentials = (work / "credentials.csv").string();
  if (absl::Status s = WriteCredentials(rows->participants, credentials);
      !s.ok()) {
    return Fail(s.ToString());
  }
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> tokens =
      CoachTokens(credentials);
  if (!tokens.ok()) return Fail(tokens.status().ToString());

  struct Who {
    std::string id;
    std::string bearer;
  };
  std::vector<Who> people;
  for (const Participant& p : rows->participants) {
    if (p.status != ParticipantStatus::kActive) continue;
    people.push_back({p.id, absl::StrCat("Bearer ", tokens->at(p.coach_id))});
  }
  std::mt19937_64 random(config.seed);
  std::shuffle(people.begin(), people.end(), random);
  const int warmup = absl::GetFlag(FLAGS_warmup);
  const int iterations = absl::GetFlag(FLAGS_iterations);
  if (static_cast<int>(people.size()) < warmup + iterations) {
    return Fail(
        absl::StrCat("only ", people.size(),
                     " ACTIVE participants for --warmup + --iterations"));
  }

  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Build(reference, rows->participants, opening_rows->openings);
  if (!snapshot.ok()) return Fail(snapshot.status().ToString());

  ChildProcess server;
  const std::string port_file = (work / "port").string();
  absl::StatusOr<std::string> address = server.Start(
      {PLACEMENT_SERVER_PATH, "--listen=127.0.0.1:0",
       "--port_file=" + port_file, "--db=" + (work / "bench.db").string(),
       "--data_dir=" PLACEMENT_DATA_DIR,
       "--profile=" PLACEMENT_DATA_DIR "/profiles/default.csv",
       "--seed_from=" + dataset, "--credentials=" + credentials,
       "--shutdown_grace=5s"},
      (work / "server.log").string(), port_file);
  if (!address.ok()) return Fail(address.status().ToString());
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(*address, grpc::InsecureChannelCredentials());
  auto coach = v1::CoachService::NewStub(channel);
  auto placements = v1::PlacementService::NewStub(channel);

  std::map<std::string, std::vector<double>> timings;
  int refused = 0;
  int without_free_place = 0;
  for (int i = 0; i < warmup + iterations; ++i) {
    const bool timed = i >= warmup;
    const size_t holds_before = timings["hold"].size();
    std::string error = OneParticipant(
        *coach, *placements, people[static_cast<size_t>(i)].bearer,
        people[static_cast<size_t>(i)].id, timed, timings, refused);
    if (!error.empty()) return Fail(error);
    if (timed && timings["hold"].size() == holds_before) ++without_free_place;
    if (!timed) continue;
    // The rebuilds, in process, between the server's calls.
    const size_t n = static_cast<size_t>(i);
    Clock::time_point start = Clock::now();
    std::shared_ptr<const Snapshot> next = (*snapshot)->WithOpening(
        opening_rows->openings[n % opening_rows->openings.size()]);
    timings["WithOpening"].push_back(Millis(Clock::now() - start));
    start = Clock::now();
    next = (*snapshot)->WithParticipant(
        rows->participants[n % rows->participants.size()]);
    timings["WithParticipant"].push_back(Millis(Clock::now() - start));
  }
  const int server_exit = server.Stop();

  const double suggest_median = Percentile(timings["suggest"], 0.5);
  const char* order[] = {"suggest", "hold",        "start",
                         "end",     "WithOpening", "WithParticipant"};
  if (absl::GetFlag(FLAGS_json)) {
    std::vector<std::string> parts;
    for (const char* name : order) {
      const std::vector<double>& t = timings[name];
      parts.push_back(
          absl::StrFormat("\"%s\":{\"n\":%d,\"median_ms\":%.3f,\"p90_ms\":%.3f,"
                          "\"p99_ms\":%.3f}",
                          name, t.size(), Percentile(t, 0.5),
                          Percentile(t, 0.9), Percentile(t, 0.99)));
    }
    std::printf(
        "{\"participants\":%d,\"openings\":%d,\"refused_holds\":%d,"
        "\"without_free_place\":%d,%s}\n",
        config.participants, config.openings, refused, without_free_place,
        absl::StrJoin(parts, ",").c_str());
  } else {
    std::printf(
        "%d participants x %d openings (seed %llu), %d timed, "
        "one call at a time over loopback\n\n",
        config.participants, config.openings,
        static_cast<unsigned long long>(config.seed), iterations);
    std::printf("%-15s %6s %10s %10s %10s %14s\n", "call", "n", "median ms",
                "p90 ms", "p99 ms", "median/suggest");
    for (const char* name : order) {
      const std::vector<double>& t = timings[name];
      const double median = Percentile(t, 0.5);
      std::printf("%-15s %6zu %10.2f %10.2f %10.2f %14.2f\n", name, t.size(),
                  median, Percentile(t, 0.9), Percentile(t, 0.99),
                  suggest_median > 0 ? median / suggest_median : 0.0);
    }
    std::printf(
        "\nholds refused (place just taken): %d; participants with no "
        "free place among 10 suggestions: %d\n",
        refused, without_free_place);
  }
  if (server_exit != 0) {
    return Fail(absl::StrCat("the server exited with ", server_exit, ":\n",
                             server.Log()));
  }
  if (timings["start"].empty()) return Fail("no placement was started");
  return 0;
}

}  // namespace
}  // namespace placement::benchmarks

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Median and p99 of holding a place and starting a placement through a "
      "real placement-server, against a suggestion in the same run.");
  absl::ParseCommandLine(argc, argv);
  return placement::benchmarks::Run();
}
