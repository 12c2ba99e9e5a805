#pragma once
// The JSON the subcommands print (one line per result, see printJsonLine) and `bench --json` writes:
// an nlohmann::ordered_json (members in the order they are set) behind the small builder the
// subcommands are written against: Json::object(), set(key, value), push(value), dump(indent).
#include <nlohmann/json.hpp>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ael {

class Json {
public:
    using Object = std::vector<std::pair<std::string, Json>>;

    Json() = default;
    /// Anything nlohmann converts: numbers, bool, strings, nullptr, an ordered_json.
    template <class T>
        requires(!std::is_same_v<std::remove_cvref_t<T>, Json> && !std::is_same_v<std::remove_cvref_t<T>, Object>)
    Json(T &&value) : j_(std::forward<T>(value)) {}
    /// An object with these members, in this order.
    Json(Object members) : j_(nlohmann::ordered_json::object())
    {
        for (auto &[key, value] : members) j_[key] = std::move(value.j_);
    }

    static Json object() { return Json(nlohmann::ordered_json::object()); }
    static Json array() { return Json(nlohmann::ordered_json::array()); }

    /// Sets an object member (a new key goes last).
    Json &set(const std::string &key, Json value)
    {
        j_[key] = std::move(value.j_);
        return *this;
    }
    /// Appends to an array.
    Json &push(Json value)
    {
        j_.push_back(std::move(value.j_));
        return *this;
    }
    /// indent < 0: one line. Bytes that are not UTF-8 (say, in a path) print as U+FFFD.
    std::string dump(int indent = -1) const
    {
        return j_.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }

private:
    nlohmann::ordered_json j_;
};

}  // namespace ael
