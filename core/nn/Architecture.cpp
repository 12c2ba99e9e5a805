#include "Architecture.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>
#include <utility>

namespace ael {

std::string Architecture::spec() const
{
    std::ostringstream s;
    s << input;
    for (int w : encoderHidden) s << '-' << w;
    s << "-[" << code << ']';
    for (int w : decoderHidden) s << '-' << w;
    s << '-' << input;
    return s.str();
}

bool Architecture::parseSpec(const std::string &spec, Architecture &out, std::string *error)
{
    auto fail = [&](const std::string &why) {
        if (error) *error = "bad architecture '" + spec + "': " + why;
        return false;
    };
    std::vector<int> widths;
    int codeAt = -1;
    size_t pos = 0;
    while (pos <= spec.size()) {
        size_t end = spec.find('-', pos);
        if (end == std::string::npos) end = spec.size();
        std::string tok = spec.substr(pos, end - pos);
        bool isCode = false;
        if (tok.size() >= 2 && tok.front() == '[' && tok.back() == ']') {
            isCode = true;
            tok = tok.substr(1, tok.size() - 2);
        }
        // A '-' also separates the layers: "[-1]" and "--1" arrive here as "[" and "" before the number.
        const bool minus = (tok == "[" || tok.empty()) && end + 1 < spec.size() && std::isdigit(static_cast<unsigned char>(spec[end + 1]));
        if (minus) return fail("a layer width cannot be negative (widths are whole numbers from 1 to 100000)");
        if (tok.empty()) return fail("an empty layer width (two '-' in a row, or one at an end)");
        int v = 0;
        auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
        if (ec != std::errc() || p != tok.data() + tok.size()) return fail("'" + tok + "' is not a layer width");
        if (v < 1 || v > kMaxWidth) return fail("layer widths must be between 1 and " + std::to_string(kMaxWidth));
        if (isCode) {
            if (codeAt >= 0) return fail("only one layer can be the code [k]");
            codeAt = int(widths.size());
        }
        widths.push_back(v);
        pos = end + 1;
    }
    if (widths.size() < 3) return fail("need at least input-[code]-output");
    if (codeAt < 0) {
        // No brackets: the narrowest... no: the middle layer of an odd-length, symmetric list is the code.
        if (widths.size() % 2 == 0) return fail("mark the code layer with brackets, e.g. 784-[32]-784");
        codeAt = int(widths.size() / 2);
    }
    if (codeAt == 0 || codeAt == int(widths.size()) - 1) return fail("the code cannot be the input or output");
    if (widths.front() != widths.back()) return fail("the output width must equal the input width");
    Architecture a = out;
    a.input = widths.front();
    a.code = widths[size_t(codeAt)];
    a.encoderHidden.assign(widths.begin() + 1, widths.begin() + codeAt);
    a.decoderHidden.assign(widths.begin() + codeAt + 1, widths.end() - 1);
    out = a;
    return true;
}

std::string Architecture::validate() const
{
    if (input < 1 || code < 1) return "input and code widths must be positive";
    for (const auto &[side, w] : {std::pair{"encoder", &encoderHidden}, std::pair{"decoder", &decoderHidden}})
        if (w->size() > size_t(kMaxHiddenLayers))
            return std::string("the ") + side + " has " + std::to_string(w->size()) + " hidden layers (at most " +
                   std::to_string(kMaxHiddenLayers) + ")";
    if (tied && (!encoderHidden.empty() || !decoderHidden.empty()))
        return "tied weights (decoder W = encoder Wᵀ) need a one-layer encoder and decoder, e.g. 784-[32]-784";
    if (tied && variational) return "tied weights are not available for the variational autoencoder";
    return {};
}

std::vector<LayerSpec> Architecture::layers() const
{
    std::vector<LayerSpec> out;
    auto add = [&](bool enc, int in, int width, ActivationKind act) {
        const size_t i = size_t(std::count_if(out.begin(), out.end(), [&](const LayerSpec &l) { return l.encoder == enc; }));
        out.push_back({(enc ? "encoder." : "decoder.") + std::to_string(i), enc, in, width, act, {}});
    };
    int in = input;
    for (int w : encoderHidden) {
        add(true, in, w, hidden);
        in = w;
    }
    if (variational) add(true, in, 2 * code, ActivationKind::Linear);  // [μ; log σ²]
    else add(true, in, code, codeActivation);
    in = code;
    for (int w : decoderHidden) {
        add(false, in, w, hidden);
        in = w;
    }
    add(false, in, input, output);
    if (tied) out.back().tiedTo = "encoder.0";  // one-layer encoder and decoder: W_dec = W_encᵀ
    return out;
}

}  // namespace ael
