// libFuzzer target: session files (core/io/SessionFile.h). Two kinds of input:
//  - starting with '{' (or whitespace): the "aelab-session" JSON. It is wrapped into a small valid model
//    file (6-4-[2]-4-6), so the fuzzer spends its time on the session checks rather than the tensors;
//  - anything else: a whole session file.
// Either it throws FormatError, or it loads; a loaded session must save and load again unchanged
// (history lengths, steps, seed, labels). The round trip runs in memory (serializeSession, the image
// saveSession writes); one loaded input in 64 (chosen by its bytes, so runs repeat) also goes through
// the file on disk, whose bytes must be that image.
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

/// The small model's file, decoded once: each JSON input only replaces its session metadata.
const ael::SafetensorsFile &smallModel()
{
    static const ael::SafetensorsFile file = [] {
        ael::Architecture a;
        ael::Architecture::parseSpec("6-4-[2]-4-6", a, nullptr);
        const ael::Model<float> m(a);
        const std::vector<uint8_t> bytes = ael::serializeModel(m, ael::TrainSettings{}, {}, "model");
        return ael::loadSafetensorsFromMemory(bytes.data(), bytes.size(), "model");
    }();
    return file;
}

void expectSame(const ael::LoadedSession &t, const ael::LoadedSession &s)
{
    if (t.info.seed != s.info.seed || t.info.step != s.info.step || t.info.dataId != s.info.dataId ||
        t.info.dataLabel != s.info.dataLabel || t.history.points.size() != s.history.points.size() ||
        t.history.markers.size() != s.history.markers.size() || t.history.tests.size() != s.history.tests.size() ||
        t.history.termNames != s.history.termNames)
        broken("a loaded session does not survive save and load");
}

std::vector<uint8_t> readFile(const std::string &path)
{
    std::vector<uint8_t> out;
    std::FILE *f = std::fopen(path.c_str(), "rb");
    for (int c; f && (c = std::fgetc(f)) != EOF;) out.push_back(uint8_t(c));
    if (f) std::fclose(f);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::vector<uint8_t> wrapped;
    const uint8_t *file = data;
    size_t fileSize = size;
    if (size > 0 && (data[0] == '{' || data[0] == ' ' || data[0] == '\n')) {
        const ael::SafetensorsFile &model = smallModel();
        auto metadata = model.metadata;
        metadata[ael::kSessionMetadataKey] = std::string(reinterpret_cast<const char *>(data), size);
        try {
            wrapped = ael::serializeSafetensors(model.tensors, metadata, "fuzz");
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
    std::vector<uint8_t> image;
    try {
        image = ael::serializeSession(*s.model.model, s.model.settings, s.info, s.history, "again");
        expectSame(ael::loadSessionFromMemory(image.data(), image.size(), "again"), s);
    } catch (const ael::FormatError &e) {
        std::fprintf(stderr, "%s\n", e.what());
        broken("a loaded session cannot be saved and loaded again");
    }
    uint32_t h = 2166136261u;  // FNV-1a of the input picks the inputs that also take the disk
    for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
    if (h % 64 != 0) return 0;
    // tmpfs when there is one: the file is written and fsynced.
    static const std::string dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    const std::string path = dir + "/fuzz_session_" + std::to_string(::getpid()) + ".safetensors";
    try {
        ael::saveSession(path, *s.model.model, s.model.settings, s.info, s.history);
        if (readFile(path) != image) broken("saveSession wrote other bytes than serializeSession gives");
        expectSame(ael::loadSession(path), s);
    } catch (const ael::FormatError &e) {
        std::fprintf(stderr, "%s\n", e.what());
        broken("a loaded session cannot be saved to a file and loaded again");
    }
    std::remove(path.c_str());
    return 0;
}
