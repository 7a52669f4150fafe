// Writes the seed corpora under fuzz/corpus/<target>/ from real data:
// rows of data/'s files, data/demo's credentials, and the request and
// record JSON files of fuzz/seeds/ (named <MessageType>.<label>.json, as the
// CLI reads them), serialised for each target's input format, with the
// selector byte each target reads first. Run by hand when the formats or
// the API change (README, "Fuzzing"):
//   build/fuzz/fuzz/make_seeds fuzz/seeds fuzz/corpus

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/json_input.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/message.h"
#include "web/connect.h"

namespace placement::fuzz {
namespace {

namespace fs = std::filesystem;

std::string ReadOrDie(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  Check(static_cast<bool>(in), absl::StrCat("cannot read ", path.string()));
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

void Write(const fs::path& corpus, const std::string& target,
           const std::string& name, const std::string& content) {
  fs::create_directories(corpus / target);
  WriteFileOrDie((corpus / target / name).string(), content);
}

std::string Byte(size_t value) {
  return std::string(1, static_cast<char>(value));
}

// The header and the first `rows` data rows of data/<relative_path>.
std::string Head(const std::string& relative_path, int rows) {
  std::istringstream in(ReadDataFileOrDie(relative_path));
  std::string out, line;
  for (int i = 0; i <= rows && std::getline(in, line); ++i) {
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

void CsvSeeds(const fs::path& corpus) {
  // dataset_fuzzer: 0 participants, 1 openings.
  Write(corpus, "dataset_fuzzer", "participants-4-rows",
        Byte(0) + Head("demo/participants.csv", 4));
  Write(corpus, "dataset_fuzzer", "openings-4-rows",
        Byte(1) + Head("demo/openings.csv", 4));
  Write(corpus, "csv_fuzzer", "openings-4-rows", Head("demo/openings.csv", 4));
  Write(corpus, "csv_fuzzer", "needs", Head("support/needs.csv", 6));
  Write(corpus, "csv_fuzzer", "quoted",
        "a,b,c\n\"x, y\",\"say \"\"hej\"\"\",\"two\r\nlines\"\r\n\xEF\xBB\xBF"
        "1,2,3\n");
  // reference_data_fuzzer: the order of kFiles there.
  const char* files[] = {"taxonomy/occupation_fields.csv",
                         "taxonomy/skill_groups.csv",
                         "taxonomy/skills.csv",
                         "support/supports.csv",
                         "support/needs.csv",
                         "geo/municipalities.csv",
                         "programmes/programmes.csv",
                         "profiles/default.csv"};
  for (size_t i = 0; i < std::size(files); ++i) {
    std::string name = fs::path(files[i]).stem().string();
    Write(corpus, "reference_data_fuzzer", name, Byte(i) + Head(files[i], 40));
  }
  Write(corpus, "reference_data_fuzzer", "contains-ignoring-case",
        Byte(std::size(files)) + std::string("Hällefors kommun\0HÄLLE", 22));
  Write(corpus, "credentials_fuzzer", "demo",
        ReadDataFileOrDie("demo/credentials.csv"));
}

void MessageSeeds(const fs::path& seeds, const fs::path& corpus) {
  const auto& types = ApiMessageTypes();
  for (size_t i = 0; i < types.size(); ++i) {
    // Every type once, empty: the fuzzer starts from each.
    const std::string name = absl::StrCat("empty-", types[i]->name());
    Write(corpus, "request_fuzzer", name, Byte(i));
    Write(corpus, "cli_json_fuzzer", name, Byte(i) + "{}");
    Write(corpus, "gateway_fuzzer", name, Byte(3) + Byte(i) + "{}");
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(seeds)) {
    if (entry.path().extension() != ".json") continue;
    const std::string file = entry.path().filename().string();
    const std::vector<std::string> parts = absl::StrSplit(file, '.');
    Check(parts.size() == 3, absl::StrCat(file, ": not <Type>.<label>.json"));
    size_t index = types.size();
    for (size_t i = 0; i < types.size(); ++i) {
      if (types[i]->name() == parts[0]) index = i;
    }
    Check(index < types.size(), absl::StrCat(file, ": no such request type"));
    const std::string json = ReadOrDie(entry.path());
    std::unique_ptr<google::protobuf::Message> message(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(types[index])
            ->New());
    const absl::Status parsed = cli::JsonToMessage(json, *message);
    Check(parsed.ok(), absl::StrCat(file, ": ", parsed.message()));
    const std::string name = absl::StrCat(parts[0], ".", parts[1]);
    Write(corpus, "request_fuzzer", name,
          Byte(index) + message->SerializeAsString());
    Write(corpus, "cli_json_fuzzer", name, Byte(index) + json);
    Write(corpus, "gateway_fuzzer", name,
          Byte(3) + Byte(index) + web::MessageToJson(*message));
  }
  Write(corpus, "gateway_fuzzer", "static-path", Byte(0) + "/assets/app.js");
  Write(corpus, "gateway_fuzzer", "listen", Byte(1) + "[::1]:8080");
  Write(corpus, "gateway_fuzzer", "quote",
        Byte(2) + "<b>\"Hunddagis\" & co</b>\n\t\\");
}

}  // namespace
}  // namespace placement::fuzz

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_seeds SEEDS_DIR CORPUS_DIR\n");
    return 2;
  }
  placement::fuzz::CsvSeeds(argv[2]);
  placement::fuzz::MessageSeeds(argv[1], argv[2]);
  return 0;
}
