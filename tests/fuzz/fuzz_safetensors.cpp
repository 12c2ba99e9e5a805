// libFuzzer target: the safetensors loader (core/io/SafeTensors.h), header JSON and metadata included.
// Any input either throws FormatError or loads; a loaded file must serialize (unless a name is one the
// writer refuses) and load back to the same names, shapes, bits and metadata.
#include "core/io/SafeTensors.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_safetensors: %s\n", what);
    std::abort();
}

bool sameBits(const ael::Matrix &a, const ael::Matrix &b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(float) * size_t(a.size())) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ael::SafetensorsFile file;
    try {
        file = ael::loadSafetensorsFromMemory(data, size, "fuzz");
    } catch (const ael::FormatError &e) {
        if (std::strncmp(e.what(), "fuzz: ", 6) != 0) broken("error message does not start with the label");
        return 0;
    }
    std::vector<uint8_t> image;
    try {
        image = ael::serializeSafetensors(file.tensors, file.metadata);
    } catch (const ael::FormatError &) {
        return 0;  // e.g. a name the writer refuses; the loader's acceptance is checked below when it writes
    }
    ael::SafetensorsFile again;
    try {
        again = ael::loadSafetensorsFromMemory(image.data(), image.size(), "again");
    } catch (const ael::FormatError &e) {
        std::fprintf(stderr, "%s\n", e.what());
        broken("a loaded file, written again, does not load");
    }
    if (again.metadata != file.metadata) broken("metadata changed in the round trip");
    if (again.tensors.size() != file.tensors.size()) broken("tensor count changed in the round trip");
    for (size_t i = 0; i < file.tensors.size(); ++i) {
        if (again.tensors[i].name != file.tensors[i].name) broken("tensor order changed in the round trip");
        if (!sameBits(again.tensors[i].value, file.tensors[i].value)) broken("tensor bits changed in the round trip");
    }
    return 0;
}
