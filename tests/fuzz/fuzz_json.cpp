// libFuzzer target: the strict JSON parser (core/io/Json.h) and its serializer.
// Any input either throws JsonError or parses; a parsed value must dump, re-parse to an equal value and
// dump to the same text again (compact and indented), so the serializer and the parser agree.
#include "core/io/Json.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_json: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    ael::Json::ParseOptions options;
    options.maxValues = 100000;  // as the model loader parses untrusted metadata
    ael::Json value;
    try {
        value = ael::Json::parse(text, options);
    } catch (const ael::JsonError &e) {
        if (e.offset() == ael::JsonError::npos || e.offset() > size) broken("parse error without a valid offset");
        return 0;
    }
    std::string compact, pretty;
    try {
        compact = value.dump();
        pretty = value.dump(2);
    } catch (const ael::JsonError &) {
        broken("a parsed value cannot be dumped");
    }
    try {
        const ael::Json again = ael::Json::parse(compact);
        if (!(again == value)) broken("compact dump re-parses to another value");
        if (again.dump() != compact) broken("compact dump is not stable");
        if (!(ael::Json::parse(pretty) == value)) broken("indented dump re-parses to another value");
    } catch (const ael::JsonError &) {
        broken("a dump does not parse");
    }
    return 0;
}
