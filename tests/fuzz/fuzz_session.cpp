// libFuzzer target: session files (core/io/SessionFile.h). Two kinds of input:
//  - starting with '{' (or whitespace): the "aelab-session" JSON. It is wrapped into a small valid model
//    file (6-4-[2]-4-6), so the fuzzer spends its time on the session checks rather than the tensors;
//  - anything else: a whole session file.
// Either it throws FormatError, or it loads; a loaded session must save and load again unchanged
// (history lengths, steps, seed, labels).
#include "core/io/Json.h"
#include "core/io/SessionFile.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_session: %s\n", what);
    std::abort();
}

const std::vector<uint8_t> &smallModel()
{
    static const std::vector<uint8_t> bytes = [] {
        ael::Architecture a;
        ael::Architecture::parseSpec("6-4-[2]-4-6", a, nullptr);
        ael::Model<float> m(a);
        const std::string path = "/tmp/fuzz_session_model_" + std::to_string(::getpid()) + ".safetensors";
        ael::saveModel(path, m, ael::TrainSettings{});
        std::FILE *f = std::fopen(path.c_str(), "rb");
        std::vector<uint8_t> out;
        for (int c; f && (c = std::fgetc(f)) != EOF;) out.push_back(uint8_t(c));
        if (f) std::fclose(f);
        std::remove(path.c_str());
        return out;
    }();
    return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::vector<uint8_t> wrapped;
    const uint8_t *file = data;
    size_t fileSize = size;
    if (size > 0 && (data[0] == '{' || data[0] == ' ' || data[0] == '\n')) {
        const auto &model = smallModel();
        try {
            ael::SafetensorsFile f = ael::loadSafetensorsFromMemory(model.data(), model.size(), "model");
            f.metadata[ael::kSessionMetadataKey] = std::string(reinterpret_cast<const char *>(data), size);
            wrapped = ael::serializeSafetensors(f.tensors, f.metadata, "fuzz");
        } catch (const ael::FormatError &) {
            return 0;  // not UTF-8: no safetensors file can hold it
        }
        file = wrapped.data();
        fileSize = wrapped.size();
    }
    ael::LoadedSession s;
    try {
        s = ael::loadSessionFromMemory(file, fileSize, "fuzz");
    } catch (const ael::FormatError &) {
        return 0;
    }
    if (!s.model.model) broken("loaded without a model");
    for (const auto &p : s.history.points)
        if (p.terms.size() != s.history.termNames.size()) broken("a point's terms differ from the term names");
    // Saved again, it reads back the same.
    // tmpfs when there is one: the round trip writes (and fsyncs) a file per loaded input.
    static const std::string dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    const std::string path = dir + "/fuzz_session_" + std::to_string(::getpid()) + ".safetensors";
    try {
        ael::saveSession(path, *s.model.model, s.model.settings, s.info, s.history);
        const ael::LoadedSession t = ael::loadSession(path);
        if (t.info.seed != s.info.seed || t.info.step != s.info.step || t.info.dataId != s.info.dataId ||
            t.history.points.size() != s.history.points.size() || t.history.markers.size() != s.history.markers.size() ||
            t.history.tests.size() != s.history.tests.size() || t.history.termNames != s.history.termNames)
            broken("a loaded session does not survive save and load");
    } catch (const ael::FormatError &e) {
        std::fprintf(stderr, "%s\n", e.what());
        broken("a loaded session cannot be saved and loaded again");
    }
    std::remove(path.c_str());
    return 0;
}
