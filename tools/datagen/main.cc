// placement-datagen: writes a synthetic population for the demo, tests and
// benchmarks. See engine/population_generator.h for the distributions.
//
//   placement-datagen --participants=1000000 --openings=100000 --seed=7
//       --out=build/data/large

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "engine/population_generator.h"
#include "engine/reference_data.h"

ABSL_FLAG(std::string, data_dir, "data",
          "Folder holding taxonomy/, support/ and geo/ reference data");
ABSL_FLAG(std::string, out, "",
          "Folder to write participants.csv and openings.csv to");
ABSL_FLAG(int, participants, 500, "Number of participants, 0 to 10,000,000");
ABSL_FLAG(int, openings, 150, "Number of openings, 0 to 1,000,000");
ABSL_FLAG(uint64_t, seed, 1, "Seed; the same seed gives the same bytes");
ABSL_FLAG(
    std::string, reference_date, "2026-01-01",
    "Ages and opening dates are drawn relative to this date (YYYY-MM-DD)");
ABSL_FLAG(
    std::vector<std::string>, municipalities, {},
    "Comma-separated municipality codes to draw from (default: all of Sweden)");

namespace {

int Run() {
  const std::string out = absl::GetFlag(FLAGS_out);
  const int participants = absl::GetFlag(FLAGS_participants);
  const int openings = absl::GetFlag(FLAGS_openings);
  if (out.empty()) {
    std::fprintf(stderr, "--out is required: the folder to write to\n");
    return 2;
  }
  if (participants < 0 || participants > 10'000'000) {
    std::fprintf(stderr, "--participants=%d is outside 0 to 10,000,000\n",
                 participants);
    return 2;
  }
  if (openings < 0 || openings > 1'000'000) {
    std::fprintf(stderr, "--openings=%d is outside 0 to 1,000,000\n", openings);
    return 2;
  }
  absl::StatusOr<placement::Date> date =
      placement::ParseDate(absl::GetFlag(FLAGS_reference_date));
  if (!date.ok()) {
    std::fprintf(stderr, "--reference_date: %s\n",
                 std::string(date.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<placement::ReferenceData> reference =
      placement::LoadReferenceData(absl::GetFlag(FLAGS_data_dir));
  if (!reference.ok()) {
    std::fprintf(stderr, "%s\n", reference.status().ToString().c_str());
    return 1;
  }
  const placement::GeneratorConfig config{
      .seed = absl::GetFlag(FLAGS_seed),
      .participants = participants,
      .openings = openings,
      .reference_date = *date,
      .municipalities = absl::GetFlag(FLAGS_municipalities)};
  absl::Status written = placement::WritePopulation(config, *reference, out);
  if (!written.ok()) {
    std::fprintf(stderr, "%s\n", written.ToString().c_str());
    return 1;
  }
  std::printf("wrote %d participants and %d openings to %s\n", participants,
              openings, out.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Writes a synthetic population (participants.csv, openings.csv).\n"
      "Example: placement-datagen --participants=100000 --openings=20000 "
      "--seed=7 --out=build/data/100k");
  absl::ParseCommandLine(argc, argv);
  return Run();
}
