// Shared by the benchmark programs: the reference data under data/, loaded
// once. The build defines PLACEMENT_DATA_DIR.

#ifndef PLACEMENT_BENCHMARKS_BENCHMARK_SUPPORT_H_
#define PLACEMENT_BENCHMARKS_BENCHMARK_SUPPORT_H_

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "engine/reference_data.h"

namespace placement::benchmarks {

// Aborts the benchmark program when data/ cannot be loaded: nothing can be
// measured without it.
inline std::shared_ptr<const ReferenceData> SharedReference() {
  static const auto* const kReference = [] {
    absl::StatusOr<ReferenceData> data = LoadReferenceData(PLACEMENT_DATA_DIR);
    if (!data.ok()) {
      std::fprintf(stderr, "%s\n", data.status().ToString().c_str());
      std::abort();
    }
    return new std::shared_ptr<const ReferenceData>(
        std::make_shared<ReferenceData>(std::move(*data)));
  }();
  return *kReference;
}

}  // namespace placement::benchmarks

#endif  // PLACEMENT_BENCHMARKS_BENCHMARK_SUPPORT_H_
