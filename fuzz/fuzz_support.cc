#include "fuzz/fuzz_support.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/field_mask.pb.h"

namespace placement::fuzz {
namespace {

// The service files of the v1 API (fuzz/CMakeLists.txt passes their names).
constexpr absl::string_view kServiceFiles = PLACEMENT_FUZZ_SERVICE_FILES;

[[noreturn]] void Die(absl::string_view what) {
  std::fprintf(stderr, "fuzz: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

}  // namespace

const std::string& DataDir() {
  static const std::string* dir = new std::string(PLACEMENT_DATA_DIR);
  return *dir;
}

const ReferenceData& Reference() {
  static const ReferenceData* reference = [] {
    absl::StatusOr<ReferenceData> loaded = LoadReferenceData(DataDir());
    if (!loaded.ok()) Die(loaded.status().ToString());
    return new ReferenceData(*std::move(loaded));
  }();
  return *reference;
}

const std::string& ScratchDir() {
  static const std::string* dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                     "/placement-fuzz-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) Die("mkdtemp failed");
    auto* made = new std::string(pattern);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(ScratchDir(), ignored);
    });
    return made;
  }();
  return *dir;
}

void WriteFileOrDie(const std::string& path, absl::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) Die(absl::StrCat("cannot write ", path));
}

std::string ReadDataFileOrDie(const std::string& relative_path) {
  const std::string path = absl::StrCat(DataDir(), "/", relative_path);
  std::ifstream in(path, std::ios::binary);
  if (!in) Die(absl::StrCat("cannot read ", path));
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

const std::vector<const google::protobuf::Descriptor*>& ApiMessageTypes() {
  static const auto* types = [] {
    const google::protobuf::DescriptorPool* pool =
        google::protobuf::DescriptorPool::generated_pool();
    auto by_name = [](const google::protobuf::Descriptor* a,
                      const google::protobuf::Descriptor* b) {
      return a->full_name() < b->full_name();
    };
    std::set<const google::protobuf::Descriptor*, decltype(by_name)> found(
        by_name);
    for (absl::string_view name : absl::StrSplit(kServiceFiles, ',')) {
      const google::protobuf::FileDescriptor* file =
          pool->FindFileByName(std::string(name));
      if (file == nullptr) Die(absl::StrCat("not linked: ", name));
      for (int s = 0; s < file->service_count(); ++s) {
        const google::protobuf::ServiceDescriptor* service = file->service(s);
        for (int m = 0; m < service->method_count(); ++m) {
          found.insert(service->method(m)->input_type());
        }
      }
    }
    for (const char* record :
         {"placement.v1.Participant", "placement.v1.Opening"}) {
      found.insert(pool->FindMessageTypeByName(record));
    }
    return new std::vector<const google::protobuf::Descriptor*>(found.begin(),
                                                                found.end());
  }();
  return *types;
}

namespace {

bool PlainPath(absl::string_view path) {
  for (absl::string_view segment : absl::StrSplit(path, '.')) {
    for (absl::string_view word : absl::StrSplit(segment, '_')) {
      if (word.empty() || word[0] < 'a' || word[0] > 'z') return false;
      for (char c : word) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
      }
    }
  }
  return true;
}

}  // namespace

bool FieldMasksRoundTrip(const google::protobuf::Message& message) {
  if (auto* mask = dynamic_cast<const google::protobuf::FieldMask*>(&message)) {
    for (const std::string& path : mask->paths()) {
      if (!PlainPath(path)) return false;
    }
    return true;
  }
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE)
      continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
        if (!FieldMasksRoundTrip(
                reflection.GetRepeatedMessage(message, field, i)))
          return false;
      }
    } else if (!FieldMasksRoundTrip(reflection.GetMessage(message, field))) {
      return false;
    }
  }
  return true;
}

void Check(bool condition, absl::string_view what) {
  if (!condition) Die(absl::StrCat("property violated: ", what));
}

Selected Select(const uint8_t* data, size_t size) {
  if (size == 0) return {};
  return {.selector = data[0],
          .rest = absl::string_view(reinterpret_cast<const char*>(data + 1),
                                    size - 1)};
}

}  // namespace placement::fuzz
