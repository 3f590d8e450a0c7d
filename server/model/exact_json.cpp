#include "model/exact_json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <charconv>
#include <limits>

namespace forecast {

namespace {

namespace json = boost::json;

// basic_parser handler that builds the document on a value_stack, like json::parser, except
// that doubles are converted from their text.
// The member names are the ones basic_parser calls, hence not our naming style.
// NOLINTBEGIN(readability-identifier-naming)
class ExactHandler {
public:
    static constexpr std::size_t max_object_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_array_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_key_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_string_size = std::numeric_limits<std::size_t>::max();

    json::value_stack stack;

    bool on_document_begin(json::error_code &) {
        stack.reset();
        return true;
    }
    bool on_document_end(json::error_code &) { return true; }
    bool on_array_begin(json::error_code &) { return true; }
    bool on_array_end(std::size_t n, json::error_code &) {
        stack.push_array(n);
        return true;
    }
    bool on_object_begin(json::error_code &) { return true; }
    bool on_object_end(std::size_t n, json::error_code &) {
        stack.push_object(n);
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code &) {
        stack.push_chars(s);
        return true;
    }
    bool on_string(json::string_view s, std::size_t, json::error_code &) {
        stack.push_string(s);
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, json::error_code &) {
        stack.push_chars(s);
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code &) {
        stack.push_key(s);
        return true;
    }
    bool on_number_part(json::string_view s, json::error_code &) {
        m_number.append(s.data(), s.size());
        return true;
    }
    bool on_int64(std::int64_t i, json::string_view, json::error_code &) {
        m_number.clear();
        stack.push_int64(i);
        return true;
    }
    bool on_uint64(std::uint64_t u, json::string_view, json::error_code &) {
        m_number.clear();
        stack.push_uint64(u);
        return true;
    }
    bool on_double(double d, json::string_view s, json::error_code &) {
        m_number.append(s.data(), s.size());
        double exact = 0.0;
        const char *first = m_number.data();
        const char *last = first + m_number.size();
        // from_chars does not take a leading '+' (JSON has none) but does take '-'.
        if (const auto r = std::from_chars(first, last, exact);
            r.ec == std::errc{} && r.ptr == last) {
            d = exact;
        }
        m_number.clear();
        stack.push_double(d);
        return true;
    }
    bool on_bool(bool b, json::error_code &) {
        stack.push_bool(b);
        return true;
    }
    bool on_null(json::error_code &) {
        stack.push_null();
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code &) { return true; }
    bool on_comment(json::string_view, json::error_code &) { return true; }

private:
    std::string m_number;
};
// NOLINTEND(readability-identifier-naming)

} // namespace

rf::Result<json::value> parseJsonExact(std::string_view text) {
    json::basic_parser<ExactHandler> parser{json::parse_options{}};
    json::error_code ec;
    const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (!ec && used < text.size()) {
        ec = json::error::extra_data;
    }
    if (ec) {
        return rf::fail(ec.message() + " at offset " + std::to_string(used));
    }
    return parser.handler().stack.release();
}

} // namespace forecast
