// placement-write-load: acknowledged participant upserts per second from
// concurrent writers, through a real placement-server with its durable
// store, on loopback (issue 14: >= 1,000/s from 16 writers, p99 <= 50 ms, at
// 1,000,000 participants).
//
// A run:
//   1. Data: a population from placement-datagen's generator (--seed,
//      --participants, --openings) in a temporary folder, with one coach
//      token per caseload; a real placement-server on 127.0.0.1 (port 0)
//      seeded from it (WAL, synchronous=FULL: an acknowledged write is on
//      disk).
//   2. --writers threads, each with its own channel and blocking stub, in a
//      closed loop: ParticipantRegistry.UpsertParticipant of an ACTIVE
//      participant of its own share (distinct participants per writer, in a
//      seeded order), the whole record as generated with max_travel_minutes
//      changed, as that participant's coach. --warmup first, untimed, then
//      --duration timed.
//   3. Known answer: for every writer the last participant it wrote is read
//      back (GetParticipant) and must hold the value last acknowledged.
//   4. Report: acknowledged upserts per second, median, p90 and p99 latency
//      in milliseconds (--json: one line).
// Any call that does not return OK, or a wrong read-back, makes the tool
// exit 1.
//
//   build/release/benchmarks/placement-write-load --participants=100000
//   placement-write-load --participants=1000000 --openings=100000 --json

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmarks/benchmark_support.h"
#include "benchmarks/child_process.h"
#include "benchmarks/latency.h"
#include "benchmarks/population_files.h"
#include "engine/dataset.h"
#include "engine/population_generator.h"
#include "grpcpp/grpcpp.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "proto/convert.h"

ABSL_FLAG(int, participants, 100'000, "Participants to generate");
ABSL_FLAG(int, openings, 20'000, "Openings to generate");
ABSL_FLAG(uint64_t, seed, 7, "Seed of the data and of the write order");
ABSL_FLAG(int, writers, 16, "Concurrent writers, one call in flight each");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2), "Untimed, first");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "Timed");
ABSL_FLAG(bool, json, false, "Print one JSON line instead of the table");
ABSL_FLAG(std::string, server_path, PLACEMENT_SERVER_PATH,
          "The placement-server to start (another build's, to compare)");
ABSL_FLAG(bool, keep_work_dir, false, "Keep the temporary folder afterwards");

namespace placement::benchmarks {
namespace {

namespace v1 = ::placement::v1;
int Fail(const std::string& message) {
  std::fprintf(stderr, "placement-write-load: %s\n", message.c_str());
  return 1;
}

struct Who {
  Participant participant;
  std::string bearer;
};

// One writer's loop and what it measured.
struct Writer {
  std::vector<const Who*> share;  // its participants, in write order
  std::vector<double> latencies_ms;
  int64_t acknowledged = 0;   // timed only
  std::string error;          // the first failure, if any
  const Who* last = nullptr;  // the last participant acknowledged ...
  int last_minutes = 0;       // ... with this max_travel_minutes

  void Run(const std::string& address, int index, Clock::time_point timed_from,
           Clock::time_point until) {
    // A channel of its own (distinct arguments): writers do not share one
    // HTTP/2 connection.
    grpc::ChannelArguments arguments;
    arguments.SetInt("placement.writer", index);
    auto stub = v1::ParticipantRegistry::NewStub(grpc::CreateCustomChannel(
        address, grpc::InsecureChannelCredentials(), arguments));
    size_t next = 0;
    int round = 0;
    while (Clock::now() < until) {
      const Who& who = *share[next];
      v1::UpsertParticipantRequest request;
      ToProto(who.participant, *request.mutable_participant());
      request.mutable_participant()->clear_updated_at();
      // A value that differs from the stored one on every round.
      const int minutes = 20 + (round % 2 == 0 ? 7 : 13);
      request.mutable_participant()->set_max_travel_minutes(minutes);
      grpc::ClientContext context;
      context.AddMetadata("authorization", who.bearer);
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(60));
      v1::Participant stored;
      const Clock::time_point start = Clock::now();
      const grpc::Status status =
          stub->UpsertParticipant(&context, request, &stored);
      const Clock::time_point end = Clock::now();
      if (!status.ok()) {
        error =
            absl::StrCat("UpsertParticipant ", who.participant.id, ": code ",
                         status.error_code(), ": ", status.error_message());
        return;
      }
      last = &who;
      last_minutes = minutes;
      if (start >= timed_from) {
        latencies_ms.push_back(Millis(end - start));
        ++acknowledged;
      }
      if (++next == share.size()) {
        next = 0;
        ++round;
      }
    }
  }
};

int Run() {
  std::shared_ptr<const ReferenceData> reference = SharedReference();
  const WorkFolder folder("placement-write-load",
                          absl::GetFlag(FLAGS_keep_work_dir));
  if (folder.path().empty()) return Fail("cannot create a work folder");
  const std::filesystem::path& work = folder.path();

  const GeneratorConfig config{
      .seed = absl::GetFlag(FLAGS_seed),
      .participants = absl::GetFlag(FLAGS_participants),
      .openings = absl::GetFlag(FLAGS_openings)};
  const int writer_count = absl::GetFlag(FLAGS_writers);
  if (writer_count < 1) return Fail("--writers must be at least 1");
  const std::string dataset = (work / "data").string();
  std::filesystem::create_directories(dataset);
  if (absl::Status s = WritePopulation(config, *reference, dataset); !s.ok()) {
    return Fail(s.ToString());
  }
  absl::StatusOr<ParticipantRows> rows =
      ReadParticipantsCsv(dataset + "/participants.csv", *reference);
  if (!rows.ok()) return Fail(rows.status().ToString());
  const std::string credentials = (work / "credentials.csv").string();
  if (absl::Status s = WriteCredentials(rows->participants, credentials);
      !s.ok()) {
    return Fail(s.ToString());
  }
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> tokens =
      CoachTokens(credentials);
  if (!tokens.ok()) return Fail(tokens.status().ToString());
  std::vector<Who> people;
  for (Participant& p : rows->participants) {
    if (p.status != ParticipantStatus::kActive) continue;
    const std::string bearer = absl::StrCat("Bearer ", tokens->at(p.coach_id));
    people.push_back({std::move(p), bearer});
  }
  if (static_cast<int>(people.size()) < writer_count) {
    return Fail("fewer ACTIVE participants than --writers");
  }
  std::mt19937_64 random(config.seed);
  std::shuffle(people.begin(), people.end(), random);
  std::vector<Writer> writers(static_cast<size_t>(writer_count));
  for (size_t i = 0; i < people.size(); ++i) {
    writers[i % writers.size()].share.push_back(&people[i]);
  }

  ChildProcess server;
  const std::string port_file = (work / "port").string();
  absl::StatusOr<std::string> address = server.Start(
      {absl::GetFlag(FLAGS_server_path), "--listen=127.0.0.1:0",
       "--port_file=" + port_file, "--db=" + (work / "writes.db").string(),
       "--data_dir=" PLACEMENT_DATA_DIR,
       "--profile=" PLACEMENT_DATA_DIR "/profiles/default.csv",
       "--seed_from=" + dataset, "--credentials=" + credentials,
       "--shutdown_grace=5s"},
      (work / "server.log").string(), port_file);
  if (!address.ok()) return Fail(address.status().ToString());

  const Clock::time_point began = Clock::now();
  const Clock::time_point timed_from =
      began + absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_warmup));
  const Clock::time_point until =
      timed_from + absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_duration));
  {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < writers.size(); ++i) {
      threads.emplace_back(
          [&writer = writers[i], &address, i, timed_from, until] {
            writer.Run(*address, static_cast<int>(i), timed_from, until);
          });
    }
    for (std::thread& thread : threads) thread.join();
  }
  const double timed_s =
      std::chrono::duration<double>(std::max(Clock::now(), until) - timed_from)
          .count();

  std::vector<double> latencies;
  int64_t acknowledged = 0;
  for (const Writer& writer : writers) {
    if (!writer.error.empty()) return Fail(writer.error);
    latencies.insert(latencies.end(), writer.latencies_ms.begin(),
                     writer.latencies_ms.end());
    acknowledged += writer.acknowledged;
  }

  // Known answers: each writer's last acknowledged write is what a read
  // returns now.
  auto stub = v1::ParticipantRegistry::NewStub(
      grpc::CreateChannel(*address, grpc::InsecureChannelCredentials()));
  for (const Writer& writer : writers) {
    if (writer.last == nullptr) continue;
    v1::GetParticipantRequest request;
    request.set_participant_id(writer.last->participant.id);
    grpc::ClientContext context;
    context.AddMetadata("authorization", writer.last->bearer);
    v1::Participant read;
    const grpc::Status status = stub->GetParticipant(&context, request, &read);
    if (!status.ok() ||
        static_cast<int>(read.max_travel_minutes()) != writer.last_minutes) {
      return Fail(absl::StrCat("read-back of ", writer.last->participant.id,
                               ": code ", status.error_code(), ", ",
                               read.max_travel_minutes(), " minutes, expected ",
                               writer.last_minutes));
    }
  }
  const int server_exit = server.Stop();
  if (server_exit != 0) {
    return Fail(absl::StrCat("the server exited with ", server_exit, ":\n",
                             server.Log()));
  }
  if (acknowledged == 0) return Fail("no upsert was acknowledged in time");

  const double per_s = static_cast<double>(acknowledged) / timed_s;
  const double median = Percentile(latencies, 0.5);
  const double p90 = Percentile(latencies, 0.9);
  const double p99 = Percentile(latencies, 0.99);
  if (absl::GetFlag(FLAGS_json)) {
    std::printf(
        "{\"participants\":%d,\"openings\":%d,\"writers\":%d,"
        "\"acknowledged\":%lld,\"seconds\":%.3f,\"upserts_per_s\":%.1f,"
        "\"median_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f}\n",
        config.participants, config.openings, writer_count,
        static_cast<long long>(acknowledged), timed_s, per_s, median, p90, p99);
  } else {
    std::printf(
        "%d participants x %d openings (seed %llu), %d writers, durable "
        "store, loopback\n\n",
        config.participants, config.openings,
        static_cast<unsigned long long>(config.seed), writer_count);
    std::printf("%-22s %12s %10s %10s %10s\n", "call", "acknowledged/s",
                "median ms", "p90 ms", "p99 ms");
    std::printf("%-22s %12.1f %10.2f %10.2f %10.2f\n", "UpsertParticipant",
                per_s, median, p90, p99);
    std::printf("\n%lld upserts acknowledged in %.1f s\n",
                static_cast<long long>(acknowledged), timed_s);
  }
  return 0;
}

}  // namespace
}  // namespace placement::benchmarks

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Acknowledged participant upserts per second, median and p99, from "
      "concurrent writers through a real placement-server with its durable "
      "store.");
  absl::ParseCommandLine(argc, argv);
  return placement::benchmarks::Run();
}
