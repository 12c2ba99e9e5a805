#pragma once
// Text from files (tensor names, configuration values) or from the command line that ends up in a
// message for a terminal or a window: control characters must not reach it (ESC ]0; … BEL retitles a
// terminal, a newline forges a line, a NUL cuts the message short) and its length is capped.
#include <cstddef>
#include <string>
#include <string_view>

namespace ael {

/// A value quoted for a message: printable ASCII kept, every other byte as \xNN (so also any UTF-8,
/// quotes and backslashes), cut after maxBytes input bytes with "...". With the quotes: 'x'.
std::string printableQuoted(std::string_view s, size_t maxBytes = 80);

/// A whole message made safe to print: C0 and C1 control characters and DEL as \xNN (\n as \n),
/// valid UTF-8 text kept, cut after maxBytes bytes with "... (N bytes)".
std::string printableMessage(std::string_view s, size_t maxBytes = 2000);

}  // namespace ael
