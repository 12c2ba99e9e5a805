#include "Printable.h"

#include <cstdio>

namespace ael {

namespace {

void hexByte(std::string &out, unsigned char c)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", unsigned(c));
    out += buf;
}

}  // namespace

std::string printableQuoted(std::string_view s, size_t maxBytes)
{
    std::string out = "'";
    for (size_t i = 0; i < s.size() && i < maxBytes; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') out += char(c);
        else hexByte(out, c);
    }
    if (s.size() > maxBytes) out += "...";
    return out + "'";
}

std::string printableMessage(std::string_view s, size_t maxBytes)
{
    std::string out;
    const size_t n = s.size() < maxBytes ? s.size() : maxBytes;
    out.reserve(n + 16);
    for (size_t i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '\n') {
            out += "\\n";
        } else if (c < 0x20 || c == 0x7F) {
            hexByte(out, c);
        } else if (c == 0xC2 && i + 1 < n && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            hexByte(out, c);  // U+0080..U+009F, the C1 controls (0x9B is a CSI)
            hexByte(out, static_cast<unsigned char>(s[++i]));
        } else if (c >= 0x80 && c <= 0x9F && (i == 0 || static_cast<unsigned char>(s[i - 1]) < 0x80)) {
            hexByte(out, c);  // a lone C1 byte (not UTF-8), which some terminals still obey
        } else {
            out += char(c);
        }
    }
    if (s.size() > maxBytes) out += "... (" + std::to_string(s.size()) + " bytes)";
    return out;
}

}  // namespace ael
