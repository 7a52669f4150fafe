// Concurrent writers and readers on one Store: every acknowledged write is
// readable afterwards, and ThreadSanitizer sees no race (run by
// `scripts/test tsan`).

#include <thread>

#include "absl/strings/str_format.h"
#include "engine/population_generator.h"
#include "gtest/gtest.h"
#include "service/store.h"
#include "tests/testing/test_util.h"

namespace placement::service {
namespace {

using ::placement::testing::Reference;
using ::placement::testing::ScratchDir;

TEST(StoreConcurrencyTest, ConcurrentUpsertsAndLoadsLoseNothing) {
  constexpr int kWriters = 4;
  constexpr int kWritesPerWriter = 40;
  ScratchDir scratch;
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open(scratch.File("c.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  const PopulationGenerator generator({.seed = 8}, Reference());

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kWritesPerWriter; ++i) {
        Participant p = generator.Participant(w * kWritesPerWriter + i);
        EXPECT_TRUE((*store)->UpsertParticipants({p}).ok());
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 20; ++i) {
      absl::StatusOr<std::vector<Participant>> loaded =
          (*store)->LoadParticipants();
      EXPECT_TRUE(loaded.ok());
    }
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(*(*store)->CountParticipants(), kWriters * kWritesPerWriter);
}

}  // namespace
}  // namespace placement::service
