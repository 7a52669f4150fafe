// What the fuzz targets share: the real reference data of data/, a scratch
// directory for loaders that read files, the request types of the v1 API,
// and a check that fails loudly (libFuzzer then keeps the input).
//
// Thread safety: libFuzzer calls a target from one thread; these are not
// meant for more.

#ifndef PLACEMENT_FUZZ_FUZZ_SUPPORT_H_
#define PLACEMENT_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/reference_data.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace placement::fuzz {

// data/'s reference data, loaded on first use (aborts if it cannot be).
const ReferenceData& Reference();

// The repository's data/ directory.
const std::string& DataDir();

// A directory of this process's own, made on first use under $TMPDIR (or
// /tmp) and removed at exit.
const std::string& ScratchDir();

// Writes `content` to `path`, replacing it; aborts when it cannot.
void WriteFileOrDie(const std::string& path, absl::string_view content);

// The content of data/<relative_path> (e.g. "taxonomy/skills.csv"); aborts
// when it cannot be read.
std::string ReadDataFileOrDie(const std::string& relative_path);

// The request messages of every placement.v1 service's methods, and the
// records the CLI reads from JSON files (Participant, Opening), sorted by
// full name, each once. The target links every object of the proto library
// so that every service is in the generated pool.
const std::vector<const google::protobuf::Descriptor*>& ApiMessageTypes();

// Whether every google.protobuf.FieldMask in `message` has only paths whose
// JSON form (lowerCamelCase) converts back to them: segments of lower-case
// words joined by '_', each word a letter followed by letters or digits.
// Protobuf converts other paths lossily, its own choice and not this
// project's; the round-trip properties skip them (CheckUpdateMask refuses
// them anyway).
bool FieldMasksRoundTrip(const google::protobuf::Message& message);

// Prints `what` and aborts when `condition` is false: a property the code
// promises, not a sanitizer's finding.
void Check(bool condition, absl::string_view what);

// Splits fuzzer input into the byte that selects a variant and the rest.
struct Selected {
  uint8_t selector = 0;
  absl::string_view rest;
};
Selected Select(const uint8_t* data, size_t size);

}  // namespace placement::fuzz

#endif  // PLACEMENT_FUZZ_FUZZ_SUPPORT_H_
