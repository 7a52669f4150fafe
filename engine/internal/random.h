// A small, fully specified pseudo-random generator (SplitMix64) and the few
// distributions the population generator needs. Unlike std::*_distribution,
// every result here is defined by this file alone, so a seed gives the same
// numbers with any standard library.
//
// Thread safety: an Rng is not thread-safe; give each thread its own.

#ifndef PLACEMENT_ENGINE_INTERNAL_RANDOM_H_
#define PLACEMENT_ENGINE_INTERNAL_RANDOM_H_

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>

namespace placement::internal {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  // Seeds an independent stream for record `index` of kind `stream`.
  static Rng ForRecord(uint64_t seed, uint64_t stream, uint64_t index) {
    Rng mixer(seed ^ (stream * 0x9E3779B97F4A7C15ULL));
    const uint64_t a = mixer.Next();
    Rng record(a ^ (index * 0xD1B54A32D192ED03ULL));
    record.Next();
    return record;
  }

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [low, high]; requires low <= high. The modulo bias is
  // below 2^-40 for the ranges used here.
  int UniformInt(int low, int high) {
    const uint64_t span = static_cast<uint64_t>(high - low) + 1;
    return low + static_cast<int>(Next() % span);
  }

  bool Bernoulli(double p) { return Uniform() < p; }

  // Standard normal by Box–Muller (one of the pair is discarded).
  double Normal() {
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) *
           std::cos(2.0 * std::numbers::pi * u2);
  }

  // Index drawn with probability proportional to weights[i]; weights are
  // non-negative with a positive sum.
  int Weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double target = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (target < weights[i]) return static_cast<int>(i);
      target -= weights[i];
    }
    return static_cast<int>(weights.size()) - 1;
  }

 private:
  uint64_t state_;
};

}  // namespace placement::internal

#endif  // PLACEMENT_ENGINE_INTERNAL_RANDOM_H_
