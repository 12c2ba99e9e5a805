// libFuzzer target: JSON as the file formats read it (core/io/JsonLimits.h: nlohmann/json behind
// parseLimited, with limits and duplicate keys rejected) and write it (dumpStrict).
// Any input either throws JsonError, whose message names the text and is printable ASCII whatever the
// input, or parses; a parsed value has distinct keys in every object, dumps, re-parses to an equal value
// and dumps to the same text again (compact and indented), so the writer and the reader agree.
#include "core/io/JsonLimits.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

namespace {

using json = nlohmann::ordered_json;

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_json: %s\n", what);
    std::abort();
}

bool distinctKeys(const json &j)
{
    if (j.is_object()) {
        std::set<std::string> keys;
        for (const auto &[k, v] : j.items())
            if (!keys.insert(k).second || !distinctKeys(v)) return false;
    } else if (j.is_array()) {
        for (const json &v : j)
            if (!distinctKeys(v)) return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    ael::JsonLimits limits;
    limits.maxValues = 100000;  // as the model loader parses untrusted metadata
    json value;
    try {
        value = ael::parseLimited(text, limits, "fuzz");
    } catch (const ael::JsonError &e) {
        const std::string what = e.what();
        if (what.rfind("fuzz is not valid JSON: ", 0) != 0) broken("an error message does not name the text");
        for (unsigned char c : what)
            if (c < 0x20 || c > 0x7E) broken("an error message holds a byte that is not printable ASCII");
        return 0;
    }
    if (!distinctKeys(value)) broken("a duplicate key was accepted");
    std::string compact, pretty;
    try {
        compact = ael::dumpStrict(value);
        pretty = ael::dumpStrict(value, 2);
    } catch (const ael::JsonError &) {
        broken("a parsed value cannot be dumped");
    }
    try {
        const json again = ael::parseLimited(compact, limits, "compact");
        if (!(again == value)) broken("compact dump re-parses to another value");
        if (ael::dumpStrict(again) != compact) broken("compact dump is not stable");
        if (!(ael::parseLimited(pretty, limits, "indented") == value)) broken("indented dump re-parses to another value");
    } catch (const ael::JsonError &e) {
        std::fprintf(stderr, "%s\n", e.what());
        broken("a dump does not parse");
    }
    return 0;
}
