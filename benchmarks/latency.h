// Latency arithmetic shared by the load tools that time calls one by one
// (placement-lifecycle-bench, placement-write-load, placement-web-bench).

#ifndef PLACEMENT_BENCHMARKS_LATENCY_H_
#define PLACEMENT_BENCHMARKS_LATENCY_H_

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace placement::benchmarks {

using Clock = std::chrono::steady_clock;

inline double Millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// The value below which a share `p` (0..1) of `values` lies (nearest rank);
// 0 for no values.
inline double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index =
      std::min(values.size() - 1,
               static_cast<size_t>(p * static_cast<double>(values.size())));
  return values[index];
}

}  // namespace placement::benchmarks

#endif  // PLACEMENT_BENCHMARKS_LATENCY_H_
