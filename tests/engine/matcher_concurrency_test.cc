// SnapshotHolder under concurrent readers and writers (engine/matcher.h).
// Bounded: a few hundred updates on a small population; also meant for the
// ThreadSanitizer build.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "engine/matcher.h"
#include "engine/population_generator.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::Reference;

constexpr int kReaders = 3;

std::shared_ptr<const ReferenceData> SharedReference() {
  return std::shared_ptr<const ReferenceData>(
      std::shared_ptr<const ReferenceData>(), &Reference());
}

struct Population {
  std::vector<Participant> participants;
  std::vector<Opening> openings;
};

Population Generate(int participants, int openings) {
  const PopulationGenerator generator(
      {.seed = 12, .participants = participants, .openings = openings},
      Reference());
  Population population;
  for (int i = 0; i < participants; ++i) {
    population.participants.push_back(generator.Participant(i));
  }
  for (int i = 0; i < openings; ++i)
    population.openings.push_back(generator.Opening(i));
  return population;
}

// A new opening at a participant's home, so readers' queries find it.
Opening NewOpeningNear(const Participant& participant, int serial) {
  Opening o;
  o.id = absl::StrFormat("N%06d", serial);
  o.kind = OpeningKind::kSocialEnterprise;
  o.organisation_id = "ORG99999";
  o.organisation_name = "Ny plats";
  o.municipality_code = participant.municipality_code;
  o.location = participant.home;
  o.occupation_field = "kitchen_restaurant";
  o.capacity = 3;
  o.min_hours_per_week = 1;
  o.max_hours_per_week = 40;
  o.step = std::min(participant.step + 1, kMaxStep);
  o.start_date = {2026, 1, 1};
  return o;
}

TopKQuery Query() {
  TopKQuery query;
  query.k = 20;
  query.context.today = {2026, 3, 1};
  return query;
}

TEST(SnapshotHolderConcurrencyTest, ReadersNeverSeeVersionsGoBackwards) {
  const Population population = Generate(300, 60);
  absl::StatusOr<std::shared_ptr<const Snapshot>> initial = Snapshot::Build(
      SharedReference(), population.participants, population.openings);
  ASSERT_TRUE(initial.ok()) << initial.status();
  SnapshotHolder holder(*initial);
  constexpr int kUpdates = 200;

  // The version of the last Update() that returned: any Current() that
  // starts after reading it must be at least as new.
  std::atomic<uint64_t> published{1};
  std::atomic<bool> done{false};
  std::atomic<int> started{0};
  std::atomic<int> backwards{0};
  std::atomic<int> stale{0};
  std::atomic<int> inconsistent{0};
  std::atomic<int> queries{0};

  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      started.fetch_add(1);
      uint64_t last_seen = 0;
      size_t next = static_cast<size_t>(r);
      while (!done.load(std::memory_order_acquire)) {
        const uint64_t floor = published.load(std::memory_order_acquire);
        const std::shared_ptr<const Snapshot> snapshot = holder.Current();
        const uint64_t version = snapshot->version();
        if (version < last_seen) backwards.fetch_add(1);
        if (version < floor) stale.fetch_add(1);
        last_seen = version;
        // Each update added one opening: the snapshot is whole.
        if (snapshot->opening_count() !=
            static_cast<int>(population.openings.size() + version - 1)) {
          inconsistent.fetch_add(1);
        }
        const Participant& p =
            population.participants[next % population.participants.size()];
        next += kReaders;
        const std::vector<RankedMatch> found =
            TopOpenings(*snapshot, p, Query());
        for (size_t i = 0; i < found.size(); ++i) {
          if (found[i].index < 0 ||
              found[i].index >= snapshot->opening_index_end() ||
              (i > 0 && found[i].total > found[i - 1].total)) {
            inconsistent.fetch_add(1);
          }
        }
        queries.fetch_add(1);
        // Leave the writer a core on small machines (and under TSan).
        std::this_thread::yield();
      }
    });
  }

  while (started.load() < kReaders) std::this_thread::yield();
  for (int i = 0; i < kUpdates; ++i) {
    const Opening o =
        NewOpeningNear(population.participants[static_cast<size_t>(i) %
                                               population.participants.size()],
                       i);
    const std::shared_ptr<const Snapshot> next =
        holder.Update([&o](std::shared_ptr<const Snapshot> current) {
          return current->WithOpening(o);
        });
    // No ASSERT here: the readers must be joined before the test returns.
    EXPECT_EQ(next->version(), static_cast<uint64_t>(i + 2));
    EXPECT_GE(holder.Current()->version(), next->version());
    published.store(next->version(), std::memory_order_release);
  }
  done.store(true, std::memory_order_release);
  for (std::thread& reader : readers) reader.join();

  EXPECT_EQ(backwards.load(), 0);
  EXPECT_EQ(stale.load(), 0);
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_GE(queries.load(), kReaders);
  EXPECT_EQ(holder.Current()->version(), static_cast<uint64_t>(kUpdates + 1));
  EXPECT_EQ(holder.Current()->opening_count(),
            static_cast<int>(population.openings.size()) + kUpdates);
}

TEST(SnapshotHolderConcurrencyTest, WritersAreSerialisedAndLoseNoUpdate) {
  const Population population = Generate(200, 40);
  absl::StatusOr<std::shared_ptr<const Snapshot>> initial = Snapshot::Build(
      SharedReference(), population.participants, population.openings);
  ASSERT_TRUE(initial.ok()) << initial.status();
  SnapshotHolder holder(*initial);
  constexpr int kWriters = 4;
  constexpr int kUpdatesEach = 30;

  std::atomic<int> out_of_order{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kUpdatesEach; ++i) {
        const Opening o = NewOpeningNear(
            population.participants[static_cast<size_t>(w * kUpdatesEach + i)],
            w * kUpdatesEach + i);
        uint64_t seen = 0;
        const std::shared_ptr<const Snapshot> next =
            holder.Update([&](std::shared_ptr<const Snapshot> current) {
              seen = current->version();
              return current->WithOpening(o);
            });
        // Each update sees the previous one.
        if (next->version() != seen + 1 ||
            next->opening_count() !=
                static_cast<int>(population.openings.size() + next->version() -
                                 1)) {
          out_of_order.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(out_of_order.load(), 0);
  EXPECT_EQ(holder.Current()->version(),
            static_cast<uint64_t>(1 + kWriters * kUpdatesEach));
  EXPECT_EQ(
      holder.Current()->opening_count(),
      static_cast<int>(population.openings.size()) + kWriters * kUpdatesEach);
}

// Writes, compactions and queries at once: readers see whole snapshots
// whose answers equal those of a fresh build of the same records, while a
// compactor keeps replacing the base under them.
TEST(SnapshotHolderConcurrencyTest, CompactionUnderWritesAndReads) {
  const Population population = Generate(400, 60);
  absl::StatusOr<std::shared_ptr<const Snapshot>> initial = Snapshot::Build(
      SharedReference(), population.participants, population.openings);
  ASSERT_TRUE(initial.ok()) << initial.status();
  SnapshotHolder holder(*initial);
  constexpr int kUpdates = 300;

  std::atomic<bool> done{false};
  std::atomic<int> started{0};
  std::atomic<int> inconsistent{0};
  std::atomic<int> differs{0};
  std::atomic<int> queries{0};
  std::atomic<int> compactions{0};

  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      started.fetch_add(1);
      size_t next = static_cast<size_t>(r);
      while (!done.load(std::memory_order_acquire)) {
        const std::shared_ptr<const Snapshot> snapshot = holder.Current();
        const uint64_t version = snapshot->version();
        // Updates alternate: a new opening N<i / 2> (even i), a replaced
        // participant (odd i); version = 1 + updates.
        const int added = (static_cast<int>(version) - 1 + 1) / 2;
        if (snapshot->opening_count() !=
                static_cast<int>(population.openings.size()) + added ||
            snapshot->participant_count() !=
                static_cast<int>(population.participants.size()) ||
            (added > 0 &&
             !snapshot->FindOpening(absl::StrFormat("N%06d", added - 1))) ||
            snapshot->FindOpening(absl::StrFormat("N%06d", added))) {
          inconsistent.fetch_add(1);
        }
        const Participant& p =
            population.participants[next % population.participants.size()];
        next += 2;
        const std::vector<RankedMatch> found =
            TopOpenings(*snapshot, p, Query());
        const std::shared_ptr<const Snapshot> rebuilt = snapshot->Compacted();
        const std::vector<RankedMatch> want = TopOpenings(*rebuilt, p, Query());
        bool same = found.size() == want.size();
        for (size_t i = 0; same && i < found.size(); ++i) {
          same = snapshot->opening(found[i].index).id ==
                     rebuilt->opening(want[i].index).id &&
                 found[i].total == want[i].total;
        }
        if (!same) differs.fetch_add(1);
        queries.fetch_add(1);
        std::this_thread::yield();
      }
    });
  }
  threads.emplace_back([&] {
    started.fetch_add(1);
    while (!done.load(std::memory_order_acquire)) {
      compactions.fetch_add(holder.Compact() ? 1 : 0);
      std::this_thread::yield();
    }
  });

  while (started.load() < 3) std::this_thread::yield();
  for (int i = 0; i < kUpdates; ++i) {
    // Halfway, let a compaction land, so the second half writes onto a
    // compacted base while readers still hold the old one.
    if (i == kUpdates / 2) {
      while (compactions.load() == 0) std::this_thread::yield();
    }
    const Participant& near =
        population.participants[static_cast<size_t>(i) %
                                population.participants.size()];
    const Opening o = NewOpeningNear(near, i / 2);
    Participant changed = near;
    changed.hours_per_week = 10 + i % 30;
    holder.Update([&](std::shared_ptr<const Snapshot> current) {
      return i % 2 == 0 ? current->WithOpening(o)
                        : current->WithParticipant(changed);
    });
  }
  done.store(true, std::memory_order_release);
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(differs.load(), 0);
  EXPECT_GE(queries.load(), 2);
  EXPECT_GE(compactions.load(), 1);
}

}  // namespace
}  // namespace placement
