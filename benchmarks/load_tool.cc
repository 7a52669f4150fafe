// placement-load: drives CoachService.SuggestOpenings over loopback and
// measures, in the same run and on the same data, what the engine does in
// process, so the figure that matters is a ratio.
//
// A run, in order:
//   1. Data: a population from the generator of placement-datagen (--seed,
//      --participants, --openings) written to a work folder, with a
//      credentials file holding one coach token per caseload; or, with
//      --server, the --dataset folder and --credentials file that server was
//      started with.
//   2. Server: a real placement-server on 127.0.0.1 (port 0), seeded from
//      that folder, unless --server names one already running.
//   3. Known answers: for a few participants the server's suggestions must
//      equal the in-process top-k (ids in order, scores to 1e-9).
//   4. Per repetition:
//      - in process, --inprocess_threads threads: top-k alone, and the
//        handler's computation (top-k, ExplainPair for each result, the
//        response message), on a snapshot built from the same CSV files;
//      - closed loop: --concurrency calls in flight, each client sending its
//        next call when the previous one returns (the gRPC callback API, or
//        with --client=sync one thread per client on a blocking stub);
//      - open loop: calls sent at --rate per second (Poisson or fixed
//        arrivals) from one dispatcher through the callback API, latency
//        counted from each call's scheduled send time, so a slow server is
//        not hidden by a client that waits for it (coordinated omission).
//        --mode=auto (the default) runs it at --open_fraction (0.8) of the
//        closed-loop throughput just measured.
//      - the transport floor (--floor, on by default with a server started
//        here): the same closed loop against a minimal server, this tool
//        started again with --serve_floor, whose SuggestOpenings copies one
//        real response onto the call's arena and returns it: gRPC and
//        protobuf alone, with no authorisation, engine or access log. Its
//        CPU per call bounds what any server could reach on this machine.
//   5. Report: a table (or --json, one line), with medians over repetitions,
//      and the CPU time per call of this process and of the server (from
//      /proc), which a shared machine disturbs less than throughput.
//
// Every call asks for k openings for a participant drawn from a fixed
// sequence (seeded) and carries the token of that participant's coach, as
// coaches may query only their own caseload. Any call that does not return
// OK, or a wrong known answer, makes the tool exit 1.
//
//   build/release/benchmarks/placement-load                # defaults
//   build/release/benchmarks/placement-load --repetitions=3 --json
//   placement-load --mode=open --rate=500 --arrivals=fixed

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "app/coach.h"
#include "benchmarks/child_process.h"
#include "benchmarks/population_files.h"
#include "engine/dataset.h"
#include "engine/matcher.h"
#include "engine/mutex.h"
#include "engine/population_generator.h"
#include "engine/reference_data.h"
#include "engine/scoring.h"
#include "grpcpp/grpcpp.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "service/coach_service.h"
#include "service/rpc_support.h"
#include "service/server.h"

ABSL_FLAG(std::string, mode, "auto",
          "closed: closed loop only; open: open loop at --rate only; auto: "
          "closed loop, then open loop at --open_fraction of its throughput");
ABSL_FLAG(std::string, server, "",
          "host:port of a running placement-server; empty to start one on "
          "127.0.0.1 (needs --dataset and --credentials)");
ABSL_FLAG(std::string, server_path, PLACEMENT_SERVER_PATH,
          "placement-server binary to start");
ABSL_FLAG(std::string, data_dir, PLACEMENT_DATA_DIR,
          "Reference data folder (taxonomy/, support/, geo/)");
ABSL_FLAG(std::string, profile, PLACEMENT_DATA_DIR "/profiles/default.csv",
          "Scoring profile of the server and of the in-process baseline");
ABSL_FLAG(std::string, dataset, "",
          "Folder with participants.csv and openings.csv; empty to generate "
          "one");
ABSL_FLAG(std::string, credentials, "",
          "Credentials CSV (token,principal,role) of --server; a generated "
          "dataset gets its own");
ABSL_FLAG(std::string, work_dir, "",
          "Folder for the generated data, database and server log; empty for "
          "a fresh folder under $TMPDIR (or /tmp), removed afterwards");
ABSL_FLAG(bool, keep_work_dir, false, "Keep the work folder afterwards");
ABSL_FLAG(int, participants, 100'000, "Participants to generate");
ABSL_FLAG(int, openings, 20'000, "Openings to generate");
ABSL_FLAG(uint64_t, seed, 7, "Seed of the data and of the query sequence");
ABSL_FLAG(int, k, 10, "Openings per suggestion call");
ABSL_FLAG(std::string, language, "sv",
          "Language of the reasons asked for: sv or en (one, as a coach's "
          "screen shows), or both");
ABSL_FLAG(int, concurrency, 64,
          "Closed loop: calls in flight. Every call waits for its access "
          "record's fsync, shared by the calls queued meanwhile, so a closed "
          "loop reaches the server's peak only with enough calls in flight");
ABSL_FLAG(std::string, client, "callback",
          "Closed loop: callback (the gRPC callback API, each call sent from "
          "the previous one's completion) or sync (one thread per client "
          "with a blocking stub)");
ABSL_FLAG(int, channels, 1,
          "gRPC channels (connections) the clients share, round robin");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2),
          "Calls before measuring, per loop (closed and open)");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10),
          "Measured time per loop (closed and open)");
ABSL_FLAG(double, rate, 0, "Open loop (--mode=open): calls per second");
ABSL_FLAG(double, open_fraction, 0.8,
          "--mode=auto: open-loop rate as a fraction of the closed-loop "
          "throughput");
ABSL_FLAG(std::string, arrivals, "poisson",
          "Open loop: poisson or fixed (evenly spaced) send times");
ABSL_FLAG(int, inprocess_threads, 0, "In-process threads; 0 for one per core");
ABSL_FLAG(absl::Duration, inprocess_duration, absl::Seconds(3),
          "Measured time of each in-process variant (after a quarter of it "
          "as warm-up); 0 to skip the baseline");
ABSL_FLAG(int, repetitions, 1,
          "Repeat the measurements (not the set-up); medians are reported");
ABSL_FLAG(bool, json, false, "Print one JSON line instead of the table");
ABSL_FLAG(bool, floor, true,
          "Also measure the transport floor (closed loop against a server "
          "that only returns a copy of one real response); needs a server "
          "started here");
ABSL_FLAG(std::string, serve_floor, "",
          "Internal: serve the transport floor, answering every "
          "SuggestOpenings with the response serialised in this file, until "
          "SIGTERM; the bound port goes to --floor_port_file");
ABSL_FLAG(std::string, floor_port_file, "",
          "Internal: with --serve_floor, where to write the bound port");

namespace placement::benchmarks {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kKnownAnswerChecks = 20;
constexpr size_t kSequenceLength = 1 << 16;
constexpr auto kCallDeadline = std::chrono::seconds(10);

int64_t Nanos(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}
Clock::duration ToClock(absl::Duration d) {
  return std::chrono::duration_cast<Clock::duration>(
      absl::ToChronoNanoseconds(d));
}

// ---------------------------------------------------------------------------
// Latency statistics.

struct Summary {
  int64_t calls = 0;
  int64_t errors = 0;
  double seconds = 0;
  double calls_per_s = 0;
  double offered_per_s = 0;  // open loop only
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
  // CPU time (user + system) per measured call, in microseconds, of this
  // process and of the server (0 when the server was not started here).
  double client_cpu_us = 0, server_cpu_us = 0;
};

// Nearest-rank percentiles of `nanos` (sorted in place).
void FillPercentiles(std::vector<int64_t>& nanos, Summary& summary) {
  if (nanos.empty()) return;
  std::sort(nanos.begin(), nanos.end());
  auto at = [&](double p) {
    const size_t rank =
        static_cast<size_t>(std::ceil(p * static_cast<double>(nanos.size())));
    return static_cast<double>(nanos[std::max<size_t>(rank, 1) - 1]) / 1e6;
  };
  summary.p50_ms = at(0.50);
  summary.p90_ms = at(0.90);
  summary.p99_ms = at(0.99);
  summary.p999_ms = at(0.999);
  summary.max_ms = static_cast<double>(nanos.back()) / 1e6;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Medians, field by field, over repetitions.
Summary MedianSummary(const std::vector<Summary>& runs) {
  auto median_of = [&](double Summary::*field) {
    std::vector<double> values;
    for (const Summary& s : runs) values.push_back(s.*field);
    return Median(values);
  };
  Summary m;
  for (const Summary& s : runs) {
    m.calls += s.calls;
    m.errors += s.errors;
  }
  m.seconds = median_of(&Summary::seconds);
  m.calls_per_s = median_of(&Summary::calls_per_s);
  m.offered_per_s = median_of(&Summary::offered_per_s);
  m.p50_ms = median_of(&Summary::p50_ms);
  m.p90_ms = median_of(&Summary::p90_ms);
  m.p99_ms = median_of(&Summary::p99_ms);
  m.p999_ms = median_of(&Summary::p999_ms);
  m.max_ms = median_of(&Summary::max_ms);
  m.client_cpu_us = median_of(&Summary::client_cpu_us);
  m.server_cpu_us = median_of(&Summary::server_cpu_us);
  return m;
}

// CPU seconds (user + system) used so far by this process, and by process
// `pid` when it is positive.
double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}
double ProcessCpuSeconds(pid_t pid) {
  if (pid <= 0) return 0;
  std::ifstream file(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(file)),
                   std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces), from field 3 on;
  // utime and stime are fields 14 and 15, in clock ticks.
  const size_t end_of_name = text.rfind(')');
  if (end_of_name == std::string::npos) return 0;
  std::vector<std::string> fields =
      absl::StrSplit(text.substr(end_of_name + 2), ' ');
  if (fields.size() < 13) return 0;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return (std::stod(fields[11]) + std::stod(fields[12])) / ticks;
}

// Samples both processes' CPU time at the start and end of a measurement.
struct CpuMeter {
  pid_t server_pid = 0;
  double own = 0, server = 0;
  void Start() {
    own = OwnCpuSeconds();
    server = ProcessCpuSeconds(server_pid);
  }
  void Stop(Summary& summary) const {
    if (summary.calls == 0) return;
    const double calls = static_cast<double>(summary.calls);
    summary.client_cpu_us = (OwnCpuSeconds() - own) * 1e6 / calls;
    if (server_pid > 0) {
      summary.server_cpu_us =
          (ProcessCpuSeconds(server_pid) - server) * 1e6 / calls;
    }
  }
};

// Latencies of 100 fdatasync calls, each after a 4 KiB append to `path`
// (removed afterwards): a WAL commit's cost on that file system.
std::vector<int64_t> FsyncLatencies(const std::string& path) {
  std::vector<int64_t> nanos;
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return nanos;
  const std::string page(4096, 'x');
  for (int i = 0; i < 100; ++i) {
    if (write(fd, page.data(), page.size()) !=
        static_cast<ssize_t>(page.size())) {
      break;
    }
    const Clock::time_point start = Clock::now();
    if (fdatasync(fd) != 0) break;
    nanos.push_back(Nanos(Clock::now() - start));
  }
  close(fd);
  unlink(path.c_str());
  return nanos;
}

// ---------------------------------------------------------------------------
// The data both sides query.

struct Workload {
  std::shared_ptr<const Snapshot> snapshot;
  // The use cases' context over `snapshot`, with no store: SuggestOpenings
  // only reads the snapshot.
  std::unique_ptr<SnapshotHolder> holder;
  std::unique_ptr<app::Context> app;
  ScoringProfile profile = ScoringProfile::Default();
  std::vector<std::string> ids;      // participants that can be queried
  std::vector<std::string> bearers;  // "Bearer <token of their coach>"
  std::vector<int> sequence;         // indices into ids, cycled through
  int k = 10;
  v1::Language language = v1::LANGUAGE_SV;
  int skipped_without_token = 0;
};

// ---------------------------------------------------------------------------
// In process: what the handler computes, without gRPC, auth or access log.

std::vector<RankedMatch> TopK(const Workload& work,
                              const Participant& participant) {
  TopKQuery query;
  query.k = work.k;
  query.context.today = app::SwedishDate(absl::Now());
  query.context.profile = work.profile;
  return TopOpenings(*work.snapshot, participant, query);
}

// The handler's work without gRPC, authentication or the access log: the
// request conversion, use case and response conversion that
// CoachService.SuggestOpenings runs (service/coach_service.h), as the
// participant's own coach, into a response on a fresh arena as the server
// allocates it.
absl::Status HandlerWork(const Workload& work, const Participant& participant,
                         v1::SuggestOpeningsResponse& response) {
  v1::SuggestOpeningsRequest request;
  request.set_participant_id(participant.id);
  request.set_k(static_cast<uint32_t>(work.k));
  request.set_language(work.language);
  absl::StatusOr<app::SuggestQuery> query = service::SuggestQueryOf(request);
  if (!query.ok()) return query.status();
  const app::Caller coach{.principal = participant.coach_id,
                          .role = app::Role::kCoach};
  absl::StatusOr<app::Suggestions> suggestions =
      app::SuggestOpenings(*work.app, coach, *query);
  if (!suggestions.ok()) return suggestions.status();
  service::ToProto(*std::move(suggestions), request.language(), response);
  return absl::OkStatus();
}

// Calls per second of `threads` threads running `full` (handler work) or
// top-k only over the query sequence.
Summary RunInProcess(const Workload& work, int threads, bool full,
                     absl::Duration duration) {
  CpuMeter cpu;
  std::atomic<size_t> next{0};
  std::atomic<int64_t> checksum{0};
  std::atomic<int64_t> failures{0};
  const Clock::time_point start = Clock::now();
  const Clock::time_point measure_from = start + ToClock(duration / 4);
  const Clock::time_point end = measure_from + ToClock(duration);
  std::vector<int64_t> counts(static_cast<size_t>(threads), 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      int64_t count = 0;
      int64_t sum = 0;
      service::ArenaMessageAllocator<v1::SuggestOpeningsRequest,
                                     v1::SuggestOpeningsResponse>
          allocator;
      while (true) {
        const Clock::time_point now = Clock::now();
        if (now >= end) break;
        const int index =
            work.sequence[next.fetch_add(1, std::memory_order_relaxed) %
                          work.sequence.size()];
        // As the handler does: the current snapshot, the participant by id.
        std::optional<int> found = work.snapshot->FindParticipant(
            work.ids[static_cast<size_t>(index)]);
        const Participant& participant = work.snapshot->participant(*found);
        if (full) {
          auto* messages = allocator.AllocateMessages();
          if (HandlerWork(work, participant, *messages->response()).ok()) {
            sum += messages->response()->suggestions_size();
          } else {
            failures.fetch_add(1, std::memory_order_relaxed);
          }
          messages->Release();
        } else {
          sum += static_cast<int64_t>(TopK(work, participant).size());
        }
        if (now >= measure_from) ++count;
      }
      counts[static_cast<size_t>(t)] = count;
      checksum += sum;
    });
  }
  std::this_thread::sleep_until(measure_from);
  cpu.Start();
  std::this_thread::sleep_until(end);
  for (std::thread& thread : pool) thread.join();
  Summary summary;
  for (int64_t c : counts) summary.calls += c;
  cpu.Stop(summary);
  summary.seconds = absl::ToDoubleSeconds(duration);
  summary.calls_per_s = static_cast<double>(summary.calls) / summary.seconds;
  summary.errors = failures.load();
  if (checksum.load() == 0) ++summary.errors;  // nothing was suggested
  return summary;
}

// ---------------------------------------------------------------------------
// Over gRPC.

struct Loopback {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<v1::CoachService::Stub>> stubs;
};

Loopback Connect(const std::string& address, int channel_count) {
  Loopback loopback;
  for (int i = 0; i < channel_count; ++i) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(16 * 1024 * 1024);
    // Separate connections rather than one shared subchannel.
    if (channel_count > 1) args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto channel = grpc::CreateCustomChannel(
        address, grpc::InsecureChannelCredentials(), args);
    loopback.stubs.push_back(v1::CoachService::NewStub(channel));
    loopback.channels.push_back(std::move(channel));
  }
  return loopback;
}

void Prepare(const Workload& work, int index, grpc::ClientContext& context,
             v1::SuggestOpeningsRequest& request) {
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  context.AddMetadata("authorization",
                      work.bearers[static_cast<size_t>(index)]);
  request.set_participant_id(work.ids[static_cast<size_t>(index)]);
  request.set_k(static_cast<uint32_t>(work.k));
  request.set_language(work.language);
}

// Thread safety: thread-safe.
class ErrorLog {
 public:
  void Add(const grpc::Status& status) {
    MutexLock lock(&mutex_);
    if (count_++ == 0) {
      first_ = absl::StrCat("code ", static_cast<int>(status.error_code()),
                            ": ", status.error_message());
    }
  }
  int64_t count() const {
    MutexLock lock(&mutex_);
    return count_;
  }
  std::string first() const {
    MutexLock lock(&mutex_);
    return first_;
  }

 private:
  mutable Mutex mutex_;
  int64_t count_ ABSL_GUARDED_BY(mutex_) = 0;
  std::string first_ ABSL_GUARDED_BY(mutex_);
};

// The server's answers must be the in-process ones. Returns the first (the
// transport floor's canned answer).
absl::StatusOr<v1::SuggestOpeningsResponse> CheckKnownAnswers(
    const Workload& work, Loopback& loopback) {
  v1::SuggestOpeningsResponse first;
  for (int i = 0;
       i < kKnownAnswerChecks && i < static_cast<int>(work.sequence.size());
       ++i) {
    const int index = work.sequence[static_cast<size_t>(i)];
    grpc::ClientContext context;
    v1::SuggestOpeningsRequest request;
    v1::SuggestOpeningsResponse response;
    Prepare(work, index, context, request);
    const grpc::Status status =
        loopback.stubs[0]->SuggestOpenings(&context, request, &response);
    if (!status.ok()) {
      return absl::Status(
          static_cast<absl::StatusCode>(status.error_code()),
          absl::StrCat("SuggestOpenings for ", request.participant_id(), ": ",
                       status.error_message()));
    }
    const Participant& participant = work.snapshot->participant(
        *work.snapshot->FindParticipant(request.participant_id()));
    const std::vector<RankedMatch> expected = TopK(work, participant);
    bool same =
        static_cast<int>(expected.size()) == response.suggestions_size();
    for (size_t j = 0; same && j < expected.size(); ++j) {
      const v1::Match& got = response.suggestions(static_cast<int>(j));
      same = got.opening_id() == work.snapshot->opening(expected[j].index).id &&
             std::abs(got.score() - expected[j].total) < 1e-9;
    }
    if (!same) {
      return absl::InternalError(absl::StrCat(
          "the server's suggestions for ", request.participant_id(),
          " differ from the in-process top-", work.k,
          " (is --server seeded with --dataset and --profile?)"));
    }
    if (i == 0) first = std::move(response);
  }
  return first;
}

// One call in flight; deletes itself when it completes. The response is
// parsed onto an arena, as a client that cares about its CPU would, so its
// hundreds of small messages are freed at once.
struct AsyncCall {
  static google::protobuf::ArenaOptions ArenaSizes() {
    google::protobuf::ArenaOptions options;
    options.start_block_size = 16 * 1024;
    options.max_block_size = 64 * 1024;
    return options;
  }
  google::protobuf::Arena arena{ArenaSizes()};
  grpc::ClientContext context;
  v1::SuggestOpeningsRequest& request =
      *google::protobuf::Arena::CreateMessage<v1::SuggestOpeningsRequest>(
          &arena);
  v1::SuggestOpeningsResponse& response =
      *google::protobuf::Arena::CreateMessage<v1::SuggestOpeningsResponse>(
          &arena);
};

// The closed loop over the callback API: `concurrency` chains of calls, each
// sending its next call from the completion of the one before, until `end`.
// Latencies of calls completing in [measure_from, end) are kept per chain
// (a chain's calls run one after another, so its vector needs no lock).
class CallbackClosedLoop {
 public:
  CallbackClosedLoop(const Workload& work, Loopback& loopback, int concurrency,
                     Clock::time_point measure_from, Clock::time_point end,
                     ErrorLog& errors)
      : work_(work),
        loopback_(loopback),
        measure_from_(measure_from),
        end_(end),
        errors_(errors),
        latencies_(static_cast<size_t>(concurrency)),
        active_(concurrency) {
    for (std::vector<int64_t>& chain : latencies_) chain.reserve(1 << 14);
  }

  void Start() {
    for (size_t chain = 0; chain < latencies_.size(); ++chain) Send(chain);
  }
  // Waits until every chain has stopped; then latencies() is complete.
  void Wait() { stopped_.WaitForNotification(); }
  const std::vector<std::vector<int64_t>>& latencies() const {
    return latencies_;
  }

 private:
  void Send(size_t chain) {
    if (Clock::now() >= end_) {
      if (active_.fetch_sub(1) == 1) stopped_.Notify();
      return;
    }
    const int index =
        work_.sequence[next_.fetch_add(1, std::memory_order_relaxed) %
                       work_.sequence.size()];
    auto* call = new AsyncCall();
    Prepare(work_, index, call->context, call->request);
    const Clock::time_point sent = Clock::now();
    loopback_.stubs[chain % loopback_.stubs.size()]->async()->SuggestOpenings(
        &call->context, &call->request, &call->response,
        [this, chain, call, sent](grpc::Status status) {
          const Clock::time_point done = Clock::now();
          if (!status.ok()) {
            errors_.Add(status);
          } else if (done >= measure_from_ && done < end_) {
            latencies_[chain].push_back(Nanos(done - sent));
          }
          delete call;
          Send(chain);
        });
  }

  const Workload& work_;
  Loopback& loopback_;
  const Clock::time_point measure_from_;
  const Clock::time_point end_;
  ErrorLog& errors_;
  std::vector<std::vector<int64_t>> latencies_;
  std::atomic<size_t> next_{0};
  std::atomic<int> active_;
  absl::Notification stopped_;
};

Summary RunClosedLoop(const Workload& work, Loopback& loopback, int concurrency,
                      bool callback_client, absl::Duration warmup,
                      absl::Duration duration, ErrorLog& errors, CpuMeter cpu) {
  std::atomic<size_t> next{0};
  const Clock::time_point measure_from = Clock::now() + ToClock(warmup);
  const Clock::time_point end = measure_from + ToClock(duration);
  std::vector<std::vector<int64_t>> latencies(static_cast<size_t>(concurrency));
  const int64_t errors_before = errors.count();
  std::vector<std::thread> clients;
  std::optional<CallbackClosedLoop> callbacks;
  if (callback_client) {
    callbacks.emplace(work, loopback, concurrency, measure_from, end, errors);
    callbacks->Start();
  }
  for (int c = 0; c < concurrency && !callback_client; ++c) {
    clients.emplace_back([&, c] {
      v1::CoachService::Stub& stub =
          *loopback.stubs[static_cast<size_t>(c) % loopback.stubs.size()];
      std::vector<int64_t>& mine = latencies[static_cast<size_t>(c)];
      mine.reserve(1 << 16);
      v1::SuggestOpeningsRequest request;
      v1::SuggestOpeningsResponse response;
      while (Clock::now() < end) {
        const int index =
            work.sequence[next.fetch_add(1, std::memory_order_relaxed) %
                          work.sequence.size()];
        grpc::ClientContext context;
        Prepare(work, index, context, request);
        const Clock::time_point sent = Clock::now();
        const grpc::Status status =
            stub.SuggestOpenings(&context, request, &response);
        const Clock::time_point done = Clock::now();
        if (!status.ok()) {
          errors.Add(status);
        } else if (done >= measure_from && done < end) {
          mine.push_back(Nanos(done - sent));
        }
      }
    });
  }
  std::this_thread::sleep_until(measure_from);
  cpu.Start();
  std::this_thread::sleep_until(end);
  for (std::thread& client : clients) client.join();
  if (callbacks) {
    callbacks->Wait();
    latencies = callbacks->latencies();
  }
  std::vector<int64_t> all;
  for (const std::vector<int64_t>& mine : latencies) {
    all.insert(all.end(), mine.begin(), mine.end());
  }
  Summary summary;
  summary.calls = static_cast<int64_t>(all.size());
  summary.errors = errors.count() - errors_before;
  summary.seconds = absl::ToDoubleSeconds(duration);
  summary.calls_per_s = static_cast<double>(summary.calls) / summary.seconds;
  cpu.Stop(summary);
  FillPercentiles(all, summary);
  return summary;
}

Summary RunOpenLoop(const Workload& work, Loopback& loopback, double rate,
                    bool poisson, absl::Duration warmup,
                    absl::Duration duration, ErrorLog& errors, CpuMeter cpu) {
  const double total_seconds = absl::ToDoubleSeconds(warmup + duration);
  const double warmup_seconds = absl::ToDoubleSeconds(warmup);
  // The schedule, in seconds from the start, drawn before anything is sent.
  std::vector<double> offsets;
  std::mt19937_64 random(absl::GetFlag(FLAGS_seed) + 1);
  std::exponential_distribution<double> gap(rate);
  for (double t = poisson ? gap(random) : 0; t < total_seconds;
       t += poisson ? gap(random) : 1.0 / rate) {
    offsets.push_back(t);
  }
  const size_t n = offsets.size();
  // Latency of call i, or -1 for a call in the warm-up or one that failed.
  std::vector<int64_t> latency(n, -1);
  std::atomic<size_t> outstanding{0};
  const int64_t errors_before = errors.count();
  const Clock::time_point start = Clock::now();
  size_t next_query = 0;
  bool metering = false;
  for (size_t i = 0; i < n; ++i) {
    const Clock::time_point scheduled =
        start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(offsets[i]));
    std::this_thread::sleep_until(scheduled);
    const bool measured = offsets[i] >= warmup_seconds;
    if (measured && !metering) {
      cpu.Start();
      metering = true;
    }
    const int index = work.sequence[next_query++ % work.sequence.size()];
    auto* call = new AsyncCall();
    Prepare(work, index, call->context, call->request);
    ++outstanding;
    const size_t slot = i;
    loopback.stubs[i % loopback.stubs.size()]->async()->SuggestOpenings(
        &call->context, &call->request, &call->response,
        [&, call, scheduled, measured, slot](grpc::Status status) {
          const Clock::time_point done = Clock::now();
          if (!status.ok()) {
            errors.Add(status);
          } else if (measured) {
            latency[slot] = Nanos(done - scheduled);
          }
          delete call;
          --outstanding;
        });
  }
  while (outstanding.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<int64_t> measured;
  for (int64_t l : latency) {
    if (l >= 0) measured.push_back(l);
  }
  Summary summary;
  summary.calls = static_cast<int64_t>(measured.size());
  summary.errors = errors.count() - errors_before;
  summary.seconds = absl::ToDoubleSeconds(duration);
  summary.offered_per_s = rate;
  // Achieved: calls of the measured part over the time they took to finish.
  summary.calls_per_s = static_cast<double>(summary.calls) /
                        std::max(summary.seconds, elapsed - warmup_seconds);
  cpu.Stop(summary);
  FillPercentiles(measured, summary);
  return summary;
}

// ---------------------------------------------------------------------------
// The transport floor: a server with nothing but gRPC and protobuf in it.

// Answers every SuggestOpenings with a copy of one real response, built on
// the call's arena as placement-server builds its answers, and sent with the
// same channel settings; no token is checked and nothing is logged.
class FloorService final : public v1::CoachService::CallbackService {
 public:
  explicit FloorService(v1::SuggestOpeningsResponse canned)
      : canned_(std::move(canned)) {
    SetMessageAllocatorFor_SuggestOpenings(&allocator_);
  }

  grpc::ServerUnaryReactor* SuggestOpenings(
      grpc::CallbackServerContext* context,
      const v1::SuggestOpeningsRequest* /*request*/,
      v1::SuggestOpeningsResponse* response) override {
    response->CopyFrom(canned_);
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const v1::SuggestOpeningsResponse canned_;
  service::ArenaMessageAllocator<v1::SuggestOpeningsRequest,
                                 v1::SuggestOpeningsResponse>
      allocator_;
};

// --serve_floor: runs until SIGTERM or SIGINT, then exits 0.
int ServeFloor(const std::string& response_path, const std::string& port_file) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  std::ifstream file(response_path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  v1::SuggestOpeningsResponse canned;
  if (!file || !canned.ParseFromString(bytes.str())) {
    std::fprintf(stderr, "placement-load: cannot read a response from %s\n",
                 response_path.c_str());
    return 1;
  }
  FloorService service(std::move(canned));
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  service::ApplyChannelLimits(builder);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "placement-load: the floor server cannot listen\n");
    return 1;
  }
  std::ofstream(port_file, std::ios::trunc) << port << "\n";
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return 0;
}

// ---------------------------------------------------------------------------
// Report.

struct Report {
  int participants = 0, openings = 0, queried = 0;
  int concurrency = 0, inprocess_threads = 0, channels = 0, k = 0;
  int repetitions = 0, cores = 0;
  double load_average = 0;
  // fdatasync of a 4 KiB append in the work folder, where the server's
  // database lives (0 with --server): what each group commit waits for.
  double fsync_p50_ms = 0, fsync_p99_ms = 0;
  std::string mode, arrivals, client, server, language;
  std::vector<Summary> topk, handler, closed, open, floor, floor_open;
  int64_t response_bytes = 0;  // of the floor server's canned answer
};

// The best loopback / in-process ratio any server could reach here: client
// and server share the cores, so a call over loopback costs at least the
// floor's CPU (client and server) plus the in-process work.
double FloorCeiling(const Report& r) {
  if (r.floor.empty() || r.handler.empty()) return 0;
  const Summary floor = MedianSummary(r.floor);
  const double work = MedianSummary(r.handler).client_cpu_us;
  const double total = work + floor.client_cpu_us + floor.server_cpu_us;
  return total > 0 ? work / total : 0;
}

std::string SummaryJson(const Summary& s) {
  return absl::StrFormat(
      "{\"calls\":%d,\"errors\":%d,\"calls_per_s\":%.1f,"
      "\"offered_per_s\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,"
      "\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,"
      "\"client_cpu_us_per_call\":%.1f,\"server_cpu_us_per_call\":%.1f}",
      s.calls, s.errors, s.calls_per_s, s.offered_per_s, s.p50_ms, s.p90_ms,
      s.p99_ms, s.p999_ms, s.max_ms, s.client_cpu_us, s.server_cpu_us);
}

double Ratio(const std::vector<Summary>& loop,
             const std::vector<Summary>& inprocess) {
  if (loop.empty() || inprocess.empty()) return 0;
  const double base = MedianSummary(inprocess).calls_per_s;
  return base > 0 ? MedianSummary(loop).calls_per_s / base : 0;
}

void PrintJson(const Report& r) {
  std::string out = absl::StrFormat(
      "{\"participants\":%d,\"openings\":%d,\"queried_participants\":%d,"
      "\"k\":%d,\"language\":\"%s\",\"mode\":\"%s\",\"arrivals\":\"%s\","
      "\"client\":\"%s\",\"concurrency\":%d,"
      "\"channels\":%d,\"inprocess_threads\":%d,\"repetitions\":%d,"
      "\"cores\":%d,\"load_average\":%.2f,\"fsync_p50_ms\":%.2f,"
      "\"fsync_p99_ms\":%.2f",
      r.participants, r.openings, r.queried, r.k, r.language, r.mode,
      r.arrivals, r.client, r.concurrency, r.channels, r.inprocess_threads,
      r.repetitions, r.cores, r.load_average, r.fsync_p50_ms, r.fsync_p99_ms);
  auto add = [&](const char* name, const std::vector<Summary>& runs) {
    if (runs.empty()) return;
    absl::StrAppend(&out, ",\"", name, "\":", SummaryJson(MedianSummary(runs)));
  };
  add("inprocess_topk", r.topk);
  add("inprocess_handler", r.handler);
  add("closed_loop", r.closed);
  add("open_loop", r.open);
  add("floor_closed_loop", r.floor);
  add("floor_open_loop", r.floor_open);
  absl::StrAppendFormat(&out,
                        ",\"ratio_closed_to_handler\":%.3f,"
                        "\"ratio_closed_to_topk\":%.3f,"
                        "\"ratio_floor_to_handler\":%.3f,"
                        "\"ratio_ceiling_from_floor_cpu\":%.3f,"
                        "\"response_bytes\":%d}",
                        Ratio(r.closed, r.handler), Ratio(r.closed, r.topk),
                        Ratio(r.floor, r.handler), FloorCeiling(r),
                        r.response_bytes);
  std::printf("%s\n", out.c_str());
}

void PrintTable(const Report& r) {
  std::printf(
      "placement-load: %d participants (%d queried), %d openings, k=%d, "
      "reasons in %s, server %s\n"
      "  %d cores, load average %.2f at start; fdatasync in the work folder "
      "p50 %.1f ms, p99 %.1f ms; %d repetition(s), medians shown\n\n",
      r.participants, r.queried, r.openings, r.k, r.language.c_str(),
      r.server.c_str(), r.cores, r.load_average, r.fsync_p50_ms, r.fsync_p99_ms,
      r.repetitions);
  std::printf("%-44s %9s %7s %7s %7s %7s %7s %6s %9s\n", "", "calls/s",
              "p50 ms", "p90 ms", "p99 ms", "p99.9", "max ms", "errors",
              "cpu us/call");
  auto row = [](const std::string& name, const std::vector<Summary>& runs,
                bool latencies) {
    if (runs.empty()) return;
    const Summary s = MedianSummary(runs);
    std::string cpu;
    if (s.client_cpu_us > 0) {
      cpu = s.server_cpu_us > 0
                ? absl::StrFormat("%.0f + %.0f srv", s.client_cpu_us,
                                  s.server_cpu_us)
                : absl::StrFormat("%.0f", s.client_cpu_us);
    }
    if (latencies) {
      std::printf("%-44s %9.1f %7.3f %7.3f %7.3f %7.3f %7.3f %6lld %s\n",
                  name.c_str(), s.calls_per_s, s.p50_ms, s.p90_ms, s.p99_ms,
                  s.p999_ms, s.max_ms, static_cast<long long>(s.errors),
                  cpu.c_str());
    } else {
      std::printf("%-44s %9.1f %7s %7s %7s %7s %7s %6s %s\n", name.c_str(),
                  s.calls_per_s, "", "", "", "", "", "", cpu.c_str());
    }
  };
  row(absl::StrCat("in process, top-k only, ", r.inprocess_threads, " threads"),
      r.topk, false);
  row(absl::StrCat("in process, handler's work, ", r.inprocess_threads,
                   " threads"),
      r.handler, false);
  row(absl::StrCat("loopback closed loop, ", r.concurrency, " ", r.client,
                   " clients"),
      r.closed, true);
  if (!r.open.empty()) {
    row(absl::StrFormat("loopback open loop, %s, %.0f/s offered", r.arrivals,
                        MedianSummary(r.open).offered_per_s),
        r.open, true);
  }
  row(absl::StrCat("transport floor, closed loop, ", r.concurrency, " clients"),
      r.floor, true);
  if (!r.floor_open.empty()) {
    row(absl::StrFormat("transport floor, open loop, %.0f/s offered",
                        MedianSummary(r.floor_open).offered_per_s),
        r.floor_open, true);
  }
  if (!r.closed.empty() && !r.handler.empty()) {
    std::printf(
        "\nloopback / in process: %.1f %% of the handler's work, %.1f %% of "
        "top-k only\n",
        100 * Ratio(r.closed, r.handler), 100 * Ratio(r.closed, r.topk));
    const Summary closed = MedianSummary(r.closed);
    const Summary handler = MedianSummary(r.handler);
    if (closed.server_cpu_us > 0 && handler.client_cpu_us > 0) {
      std::printf(
          "CPU per call: in process %.0f us; over loopback %.0f us in the "
          "server (%.1fx) and %.0f us in this client\n",
          handler.client_cpu_us, closed.server_cpu_us,
          closed.server_cpu_us / handler.client_cpu_us, closed.client_cpu_us);
    }
  }
  if (!r.floor.empty() && !r.handler.empty()) {
    const Summary floor = MedianSummary(r.floor);
    std::printf(
        "transport floor (gRPC and protobuf only, the same %lld-byte answer): "
        "%.0f us in the server and %.0f us in this client per call, so "
        "loopback can reach at most %.1f %% of the handler's work in process "
        "here\n",
        static_cast<long long>(r.response_bytes), floor.server_cpu_us,
        floor.client_cpu_us, 100 * FloorCeiling(r));
  }
}

// ---------------------------------------------------------------------------

absl::StatusOr<std::string> MakeWorkDir() {
  std::string dir = absl::GetFlag(FLAGS_work_dir);
  if (!dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("cannot create ", dir, ": ", error.message()));
    }
    return dir;
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(
      tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/placement-load-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot create a folder like ", pattern));
  }
  return pattern;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "placement-load: %s\n", status.ToString().c_str());
  return 1;
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "placement-load: %s\n", message.c_str());
  return 2;
}

int Run() {
  const std::string mode = absl::GetFlag(FLAGS_mode);
  const std::string arrivals = absl::GetFlag(FLAGS_arrivals);
  const std::string client = absl::GetFlag(FLAGS_client);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const int channels = absl::GetFlag(FLAGS_channels);
  const int repetitions = absl::GetFlag(FLAGS_repetitions);
  const int k = absl::GetFlag(FLAGS_k);
  const absl::Duration warmup = absl::GetFlag(FLAGS_warmup);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const absl::Duration inprocess_duration =
      absl::GetFlag(FLAGS_inprocess_duration);
  int inprocess_threads = absl::GetFlag(FLAGS_inprocess_threads);
  if (inprocess_threads <= 0) {
    inprocess_threads =
        std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }
  if (mode != "closed" && mode != "open" && mode != "auto") {
    return Usage(
        absl::StrCat("--mode=", mode, ": expected closed, open or auto"));
  }
  if (client != "callback" && client != "sync") {
    return Usage(
        absl::StrCat("--client=", client, ": expected callback or sync"));
  }
  if (arrivals != "poisson" && arrivals != "fixed") {
    return Usage(
        absl::StrCat("--arrivals=", arrivals, ": expected poisson or fixed"));
  }
  if (mode == "open" && absl::GetFlag(FLAGS_rate) <= 0) {
    return Usage("--mode=open needs --rate > 0 (calls per second)");
  }
  if (concurrency < 1 || channels < 1 || repetitions < 1 || k < 1 || k > 100) {
    return Usage(
        "--concurrency, --channels and --repetitions must be at least 1, --k "
        "1 to 100");
  }
  if (duration <= absl::ZeroDuration() || warmup < absl::ZeroDuration()) {
    return Usage("--duration must be positive and --warmup not negative");
  }
  const bool own_server = absl::GetFlag(FLAGS_server).empty();
  if (!own_server && (absl::GetFlag(FLAGS_dataset).empty() ||
                      absl::GetFlag(FLAGS_credentials).empty())) {
    return Usage(
        "--server needs --dataset and --credentials: the data and tokens that "
        "server was started with");
  }

  absl::StatusOr<ReferenceData> loaded =
      LoadReferenceData(absl::GetFlag(FLAGS_data_dir));
  if (!loaded.ok()) return Fail(loaded.status());
  auto reference = std::make_shared<const ReferenceData>(std::move(*loaded));
  Workload work;
  work.k = k;
  const std::string language = absl::GetFlag(FLAGS_language);
  if (language == "sv") {
    work.language = v1::LANGUAGE_SV;
  } else if (language == "en") {
    work.language = v1::LANGUAGE_EN;
  } else if (language == "both") {
    work.language = v1::LANGUAGE_UNSPECIFIED;
  } else {
    return Usage(
        absl::StrCat("--language=", language, ": expected sv, en or both"));
  }
  if (const std::string path = absl::GetFlag(FLAGS_profile); !path.empty()) {
    absl::StatusOr<ScoringProfile> profile = ScoringProfile::Load(path);
    if (!profile.ok()) return Fail(profile.status());
    work.profile = *profile;
  }

  absl::StatusOr<std::string> work_dir = MakeWorkDir();
  if (!work_dir.ok()) return Fail(work_dir.status());
  const bool remove_work_dir = absl::GetFlag(FLAGS_work_dir).empty() &&
                               !absl::GetFlag(FLAGS_keep_work_dir);
  struct Cleanup {
    std::string dir;
    bool remove;
    ~Cleanup() {
      std::error_code ignored;
      if (remove) std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{*work_dir, remove_work_dir};

  std::string dataset = absl::GetFlag(FLAGS_dataset);
  if (dataset.empty()) {
    dataset = *work_dir + "/data";
    std::filesystem::create_directories(dataset);
    const GeneratorConfig config{
        .seed = absl::GetFlag(FLAGS_seed),
        .participants = absl::GetFlag(FLAGS_participants),
        .openings = absl::GetFlag(FLAGS_openings)};
    if (absl::Status s = WritePopulation(config, *reference, dataset);
        !s.ok()) {
      return Fail(s);
    }
  }
  absl::StatusOr<ParticipantRows> participants =
      ReadParticipantsCsv(dataset + "/participants.csv", *reference);
  if (!participants.ok()) return Fail(participants.status());
  absl::StatusOr<OpeningRows> openings =
      ReadOpeningsCsv(dataset + "/openings.csv", *reference);
  if (!openings.ok()) return Fail(openings.status());
  if (!participants->errors.empty() || !openings->errors.empty()) {
    return Fail(absl::FailedPreconditionError(
        absl::StrCat(dataset, " has bad rows; the server would refuse it")));
  }

  std::string credentials = absl::GetFlag(FLAGS_credentials);
  if (own_server && credentials.empty()) {
    credentials = *work_dir + "/credentials.csv";
    if (absl::Status s =
            WriteCredentials(participants->participants, credentials);
        !s.ok()) {
      return Fail(s);
    }
  }
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> tokens =
      CoachTokens(credentials);
  if (!tokens.ok()) return Fail(tokens.status());
  for (const Participant& p : participants->participants) {
    auto token = tokens->find(p.coach_id);
    if (token == tokens->end()) {
      ++work.skipped_without_token;
      continue;
    }
    work.ids.push_back(p.id);
    work.bearers.push_back(absl::StrCat("Bearer ", token->second));
  }
  if (work.ids.empty()) {
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        credentials, " holds no coach token for any participant's coach")));
  }
  std::mt19937_64 random(absl::GetFlag(FLAGS_seed));
  std::uniform_int_distribution<int> pick(
      0, static_cast<int>(work.ids.size()) - 1);
  work.sequence.resize(kSequenceLength);
  for (int& index : work.sequence) index = pick(random);

  // The server starts before this process has any other thread.
  ChildProcess server;
  std::string address = absl::GetFlag(FLAGS_server);
  if (own_server) {
    const std::string port_file = *work_dir + "/port";
    std::filesystem::remove(port_file);
    absl::StatusOr<std::string> bound = server.Start(
        {absl::GetFlag(FLAGS_server_path), "--listen=127.0.0.1:0",
         "--port_file=" + port_file, "--db=" + *work_dir + "/load.db",
         "--data_dir=" + absl::GetFlag(FLAGS_data_dir),
         "--seed_from=" + dataset, "--credentials=" + credentials,
         "--profile=" + absl::GetFlag(FLAGS_profile), "--shutdown_grace=5s"},
        *work_dir + "/server.log", port_file);
    if (!bound.ok()) return Fail(bound.status());
    address = *bound;
  }

  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Build(reference, std::move(participants->participants),
                      std::move(openings->openings));
  if (!snapshot.ok()) return Fail(snapshot.status());
  work.snapshot = *snapshot;
  work.holder = std::make_unique<SnapshotHolder>(work.snapshot);
  work.app = std::make_unique<app::Context>();
  work.app->reference = reference;
  work.app->snapshots = work.holder.get();
  work.app->profile = work.profile;

  Loopback loopback = Connect(address, channels);
  for (const auto& channel : loopback.channels) {
    if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                   std::chrono::seconds(30))) {
      return Fail(
          absl::UnavailableError(absl::StrCat("cannot connect to ", address)));
    }
  }
  absl::StatusOr<v1::SuggestOpeningsResponse> canned =
      CheckKnownAnswers(work, loopback);
  if (!canned.ok()) return Fail(canned.status());

  ChildProcess floor_server;
  std::optional<Loopback> floor_loopback;
  int64_t response_bytes = 0;
  if (own_server && absl::GetFlag(FLAGS_floor)) {
    response_bytes = static_cast<int64_t>(canned->ByteSizeLong());
    const std::string response_path = *work_dir + "/floor-response.pb";
    const std::string port_file = *work_dir + "/floor-port";
    std::filesystem::remove(port_file);
    std::ofstream(response_path, std::ios::binary | std::ios::trunc)
        << canned->SerializeAsString();
    absl::StatusOr<std::string> bound =
        floor_server.Start({"/proc/self/exe", "--serve_floor=" + response_path,
                            "--floor_port_file=" + port_file},
                           *work_dir + "/floor-server.log", port_file);
    if (!bound.ok()) return Fail(bound.status());
    floor_loopback = Connect(*bound, channels);
    for (const auto& channel : floor_loopback->channels) {
      if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                     std::chrono::seconds(30))) {
        return Fail(absl::UnavailableError(
            absl::StrCat("cannot connect to the floor server at ", *bound)));
      }
    }
  }

  Report report;
  report.participants = work.snapshot->participant_count();
  report.openings = work.snapshot->opening_count();
  report.queried = static_cast<int>(work.ids.size());
  report.concurrency = concurrency;
  report.inprocess_threads = inprocess_threads;
  report.channels = channels;
  report.k = k;
  report.repetitions = repetitions;
  report.cores = static_cast<int>(std::thread::hardware_concurrency());
  report.mode = mode;
  report.arrivals = arrivals;
  report.client = client;
  report.server = own_server ? "started here" : address;
  report.language = language;
  report.response_bytes = response_bytes;
  double load[1] = {0};
  if (getloadavg(load, 1) == 1) report.load_average = load[0];
  if (own_server) {
    std::vector<int64_t> fsyncs = FsyncLatencies(*work_dir + "/fsync-probe");
    Summary probe;
    FillPercentiles(fsyncs, probe);
    report.fsync_p50_ms = probe.p50_ms;
    report.fsync_p99_ms = probe.p99_ms;
  }

  ErrorLog errors;
  const bool quiet = absl::GetFlag(FLAGS_json);
  for (int rep = 0; rep < repetitions; ++rep) {
    if (inprocess_duration > absl::ZeroDuration()) {
      report.topk.push_back(
          RunInProcess(work, inprocess_threads, false, inprocess_duration));
      report.handler.push_back(
          RunInProcess(work, inprocess_threads, true, inprocess_duration));
    }
    double rate = absl::GetFlag(FLAGS_rate);
    if (mode != "open") {
      report.closed.push_back(RunClosedLoop(
          work, loopback, concurrency, client == "callback", warmup, duration,
          errors, CpuMeter{.server_pid = server.pid()}));
      rate =
          absl::GetFlag(FLAGS_open_fraction) * report.closed.back().calls_per_s;
    }
    if (mode != "closed" && rate > 0) {
      report.open.push_back(
          RunOpenLoop(work, loopback, rate, arrivals == "poisson", warmup,
                      duration, errors, CpuMeter{.server_pid = server.pid()}));
    }
    if (floor_loopback) {
      report.floor.push_back(RunClosedLoop(
          work, *floor_loopback, concurrency, client == "callback", warmup,
          duration, errors, CpuMeter{.server_pid = floor_server.pid()}));
      // The same fraction of the floor's own peak: what the transport alone
      // does to the tail at that load on this machine.
      const double floor_rate =
          absl::GetFlag(FLAGS_open_fraction) * report.floor.back().calls_per_s;
      if (mode == "auto" && floor_rate > 0) {
        report.floor_open.push_back(RunOpenLoop(
            work, *floor_loopback, floor_rate, arrivals == "poisson", warmup,
            duration, errors, CpuMeter{.server_pid = floor_server.pid()}));
      }
    }
    if (!quiet && repetitions > 1) {
      std::fprintf(stderr, "repetition %d:", rep + 1);
      if (!report.handler.empty())
        std::fprintf(stderr, " in process %.0f/s,",
                     report.handler.back().calls_per_s);
      if (!report.closed.empty())
        std::fprintf(stderr, " closed %.0f/s p99 %.2f ms,",
                     report.closed.back().calls_per_s,
                     report.closed.back().p99_ms);
      if (!report.open.empty())
        std::fprintf(stderr, " open %.0f/s p99 %.2f ms",
                     report.open.back().calls_per_s, report.open.back().p99_ms);
      std::fprintf(stderr, "\n");
    }
  }

  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(report);
  } else {
    PrintTable(report);
  }
  loopback = Loopback();
  floor_loopback.reset();
  if (floor_server.pid() > 0) {
    const int code = floor_server.Stop();
    if (code != 0) {
      return Fail(absl::InternalError(absl::StrCat(
          "the floor server exited with ", code, ":\n", floor_server.Log())));
    }
  }
  if (own_server) {
    const int code = server.Stop();
    if (code != 0) {
      return Fail(absl::InternalError(absl::StrCat(
          "placement-server exited with ", code, ":\n", server.Log())));
    }
  }
  bool failed = false;
  for (const auto* runs : {&report.topk, &report.handler}) {
    for (const Summary& s : *runs) failed |= s.errors != 0;
  }
  if (failed) {
    std::fprintf(stderr,
                 "placement-load: the in-process baseline found no "
                 "suggestion at all\n");
    return 1;
  }
  if (errors.count() > 0) {
    std::fprintf(stderr, "placement-load: %lld call(s) failed; first: %s\n",
                 static_cast<long long>(errors.count()),
                 errors.first().c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace placement::benchmarks

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Drives CoachService.SuggestOpenings over loopback (closed and open "
      "loop) and measures the engine in process on the same data.\n"
      "Example: placement-load --participants=100000 --openings=20000 "
      "--concurrency=8 --duration=10s --repetitions=3");
  absl::ParseCommandLine(argc, argv);
  if (const std::string floor = absl::GetFlag(FLAGS_serve_floor);
      !floor.empty()) {
    return placement::benchmarks::ServeFloor(
        floor, absl::GetFlag(FLAGS_floor_port_file));
  }
  return placement::benchmarks::Run();
}
