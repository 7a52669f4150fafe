// engine/dataset.h on arbitrary bytes, against data/'s reference data: the
// first byte chooses the participants or the openings format. Whatever rows
// are read without error pass validation, and written back with the
// format's writer they read back as the same records and no errors (the
// header says the round trip is lossless).

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "engine/dataset.h"
#include "engine/validation.h"
#include "fuzz/fuzz_support.h"

namespace placement::fuzz {
namespace {

void Participants(const std::string& content) {
  std::istringstream input(content);
  absl::StatusOr<ParticipantRows> rows =
      ReadParticipantsCsv(input, "participants.csv", Reference());
  if (!rows.ok()) return;
  Check(rows->rows_read >= static_cast<int>(rows->participants.size()),
        "no more good rows than rows");
  std::ostringstream written;
  ParticipantCsvWriter writer(written);
  for (const Participant& participant : rows->participants) {
    Check(CheckParticipant(participant, Reference()).empty(),
          "a participant read without error passes CheckParticipant");
    writer.Write(participant);
  }
  std::istringstream again_input(written.str());
  absl::StatusOr<ParticipantRows> again =
      ReadParticipantsCsv(again_input, "again.csv", Reference());
  Check(again.ok(), "ParticipantCsvWriter's output reads back");
  Check(again->errors.empty(),
        "ParticipantCsvWriter's output reads back without errors");
  Check(again->participants == rows->participants,
        "participants read back equal to those written");
}

void Openings(const std::string& content) {
  std::istringstream input(content);
  absl::StatusOr<OpeningRows> rows =
      ReadOpeningsCsv(input, "openings.csv", Reference());
  if (!rows.ok()) return;
  std::ostringstream written;
  OpeningCsvWriter writer(written);
  for (const Opening& opening : rows->openings) {
    Check(CheckOpening(opening, Reference()).empty(),
          "an opening read without error passes CheckOpening");
    writer.Write(opening);
  }
  std::istringstream again_input(written.str());
  absl::StatusOr<OpeningRows> again =
      ReadOpeningsCsv(again_input, "again.csv", Reference());
  Check(again.ok(), "OpeningCsvWriter's output reads back");
  Check(again->errors.empty(),
        "OpeningCsvWriter's output reads back without errors");
  Check(again->openings == rows->openings,
        "openings read back equal to those written");
}

}  // namespace
}  // namespace placement::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace placement::fuzz;
  const Selected input = Select(data, size);
  const std::string content(input.rest);
  if (input.selector % 2 == 0) {
    Participants(content);
  } else {
    Openings(content);
  }
  return 0;
}
