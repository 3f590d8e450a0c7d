#include "api/content_negotiation.h"

#include "api/protobuf_decoder.h"
#include "util/yaml_json.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace sandbox {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

const char *kAcceptedBodyTypes =
    "application/json, application/yaml, application/vnd.kubernetes.protobuf";
// Responses are never protobuf (clients that accept it also accept JSON), so a 406 must
// not offer it.
const char *kAcceptedResponseTypes = "application/json, application/yaml";

// ---- Go encoding/json style syntax check -----------------------------------------------

class GoJsonScanner {
public:
    explicit GoJsonScanner(std::string_view text)
        : m_text(text) {}

    // Empty string when the text is one valid JSON value.
    std::string check() {
        if (!value(0)) {
            return m_error;
        }
        skipSpace();
        if (m_pos < m_text.size()) {
            return invalid("after top-level value");
        }
        return {};
    }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    std::string m_error;

    static std::string quoteChar(char c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        static const char *hex = "0123456789abcdef";
        switch (c) {
        case '\n':
            return "'\\n'";
        case '\r':
            return "'\\r'";
        case '\t':
            return "'\\t'";
        default:
            break;
        }
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            return std::string("'\\x") + hex[u >> 4] + hex[u & 15] + "'";
        }
        return std::string("'") + c + "'";
    }

    std::string invalid(const std::string &context) {
        if (m_pos >= m_text.size()) {
            m_error = "unexpected end of JSON input";
        } else {
            m_error = "invalid character " + quoteChar(m_text[m_pos]) + " " + context;
        }
        return m_error;
    }
    bool fail(const std::string &context) {
        invalid(context);
        return false;
    }

    void skipSpace() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                         m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
            ++m_pos;
        }
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    bool value(int depth) {
        if (depth > 10000) {
            m_error = "exceeded max depth";
            return false;
        }
        skipSpace();
        if (atEnd()) {
            return fail("");
        }
        char c = peek();
        if (c == '{') {
            return object(depth);
        }
        if (c == '[') {
            return array(depth);
        }
        if (c == '"') {
            return string();
        }
        if (c == '-' || isDigit(c)) {
            return number();
        }
        if (c == 't') {
            return literal("true");
        }
        if (c == 'f') {
            return literal("false");
        }
        if (c == 'n') {
            return literal("null");
        }
        return fail("looking for beginning of value");
    }

    bool object(int depth) {
        ++m_pos; // '{'
        skipSpace();
        if (!atEnd() && peek() == '}') {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipSpace();
            if (atEnd() || peek() != '"') {
                return fail("looking for beginning of object key string");
            }
            if (!string()) {
                return false;
            }
            skipSpace();
            if (atEnd() || peek() != ':') {
                return fail("after object key");
            }
            ++m_pos;
            if (!value(depth + 1)) {
                return false;
            }
            skipSpace();
            if (!atEnd() && peek() == ',') {
                ++m_pos;
                continue;
            }
            if (!atEnd() && peek() == '}') {
                ++m_pos;
                return true;
            }
            return fail("after object key:value pair");
        }
    }

    bool array(int depth) {
        ++m_pos; // '['
        skipSpace();
        if (!atEnd() && peek() == ']') {
            ++m_pos;
            return true;
        }
        for (;;) {
            if (!value(depth + 1)) {
                return false;
            }
            skipSpace();
            if (!atEnd() && peek() == ',') {
                ++m_pos;
                continue;
            }
            if (!atEnd() && peek() == ']') {
                ++m_pos;
                return true;
            }
            return fail("after array element");
        }
    }

    bool string() {
        ++m_pos; // '"'
        while (!atEnd()) {
            char c = peek();
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (static_cast<unsigned char>(c) < 0x20) {
                return fail("in string literal");
            }
            if (c == '\\') {
                ++m_pos;
                if (atEnd()) {
                    return fail("");
                }
                char e = peek();
                if (e == 'u') {
                    ++m_pos;
                    for (int i = 0; i < 4; ++i) {
                        if (atEnd() || !std::isxdigit(static_cast<unsigned char>(peek()))) {
                            return fail("in \\u hexadecimal character escape");
                        }
                        ++m_pos;
                    }
                    continue;
                }
                if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    return fail("in string escape code");
                }
            }
            ++m_pos;
        }
        return fail("");
    }

    bool number() {
        if (peek() == '-') {
            ++m_pos;
            if (atEnd() || !isDigit(peek())) {
                return fail("in numeric literal");
            }
        }
        if (peek() == '0') {
            ++m_pos;
        } else {
            while (!atEnd() && isDigit(peek())) {
                ++m_pos;
            }
        }
        if (!atEnd() && peek() == '.') {
            ++m_pos;
            if (atEnd() || !isDigit(peek())) {
                return fail("after decimal point in numeric literal");
            }
            while (!atEnd() && isDigit(peek())) {
                ++m_pos;
            }
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            ++m_pos;
            if (!atEnd() && (peek() == '+' || peek() == '-')) {
                ++m_pos;
            }
            if (atEnd() || !isDigit(peek())) {
                return fail("in exponent of numeric literal");
            }
            while (!atEnd() && isDigit(peek())) {
                ++m_pos;
            }
        }
        return true;
    }

    bool literal(std::string_view word) {
        for (std::size_t i = 0; i < word.size(); ++i) {
            if (atEnd()) {
                return fail("");
            }
            if (peek() != word[i]) {
                return fail("in literal " + std::string(word) + " (expecting " +
                            quoteChar(word[i]) + ")");
            }
            ++m_pos;
        }
        return true;
    }
};

const char *goTypeName(const boost::json::value &v) {
    switch (v.kind()) {
    case boost::json::kind::array:
        return "array";
    case boost::json::kind::string:
        return "string";
    case boost::json::kind::bool_:
        return "bool";
    case boost::json::kind::null:
        return "null";
    case boost::json::kind::object:
        return "object";
    default:
        return "number";
    }
}

ApiResult<boost::json::object> requireObject(boost::json::value value) {
    if (value.is_object()) {
        return std::move(value.get_object());
    }
    return ApiError::badRequest(
        std::string("couldn't get version/kind; json parse error: json: cannot unmarshal ") +
        goTypeName(value) +
        " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
        "Kind string \"json:\\\"kind,omitempty\\\"\" }");
}

} // namespace

std::string MediaType::param(std::string_view name) const {
    for (const auto &[key, value] : params) {
        if (key == name) {
            return value;
        }
    }
    return {};
}

std::vector<MediaType> parseMediaTypes(std::string_view header) {
    std::vector<MediaType> out;
    std::size_t start = 0;
    while (start <= header.size()) {
        std::size_t comma = header.find(',', start);
        std::string_view item = trim(
            header.substr(start, comma == std::string_view::npos ? header.npos : comma - start));
        start = comma == std::string_view::npos ? header.size() + 1 : comma + 1;
        if (item.empty()) {
            continue;
        }
        MediaType media;
        std::size_t semi = item.find(';');
        std::string_view essence = trim(item.substr(0, semi));
        std::size_t slash = essence.find('/');
        if (slash == std::string_view::npos) {
            continue;
        }
        media.type = lower(trim(essence.substr(0, slash)));
        media.subtype = lower(trim(essence.substr(slash + 1)));
        while (semi != std::string_view::npos) {
            std::size_t next = item.find(';', semi + 1);
            std::string_view param =
                trim(item.substr(semi + 1, next == item.npos ? item.npos : next - semi - 1));
            semi = next;
            std::size_t eq = param.find('=');
            if (eq == std::string_view::npos) {
                continue;
            }
            std::string key = lower(trim(param.substr(0, eq)));
            std::string_view value = trim(param.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            if (key == "q") {
                media.quality = std::strtod(std::string(value).c_str(), nullptr);
            } else {
                media.params.emplace_back(std::move(key), std::string(value));
            }
        }
        out.push_back(std::move(media));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const MediaType &a, const MediaType &b) { return a.quality > b.quality; });
    return out;
}

ApiResult<ResponseFormat> negotiateResponse(std::string_view accept, bool allowTable) {
    if (trim(accept).empty()) {
        return ResponseFormat::Json;
    }
    for (const MediaType &media : parseMediaTypes(accept)) {
        if (media.quality <= 0) {
            continue;
        }
        const std::string as = media.param("as");
        const bool wildcard =
            media.type == "*" || (media.type == "application" && media.subtype == "*");
        const bool json = media.type == "application" && media.subtype == "json";
        if (!as.empty()) {
            // Table and PartialObjectMetadata are JSON-encoded meta.k8s.io objects.
            if (!(json || wildcard) || media.param("g") != "meta.k8s.io" || !allowTable) {
                continue;
            }
            const std::string v = media.param("v");
            if (as == "Table" && v == "v1") {
                return ResponseFormat::TableV1;
            }
            if (as == "Table" && v == "v1beta1") {
                return ResponseFormat::TableV1beta1;
            }
            if ((as == "PartialObjectMetadata" || as == "PartialObjectMetadataList") && v == "v1") {
                return ResponseFormat::PartialObjectMetadata;
            }
            continue;
        }
        if (json || wildcard) {
            return ResponseFormat::Json;
        }
        if (media.type == "application" && media.subtype == "yaml") {
            return ResponseFormat::Yaml;
        }
    }
    return ApiError::notAcceptable(std::string("only the following media types are accepted: ") +
                                   kAcceptedResponseTypes);
}

std::string contentTypeFor(ResponseFormat format) {
    switch (format) {
    case ResponseFormat::Json:
        return "application/json";
    case ResponseFormat::Yaml:
        return "application/yaml";
    case ResponseFormat::TableV1:
        return "application/json;as=Table;v=v1;g=meta.k8s.io";
    case ResponseFormat::TableV1beta1:
        return "application/json;as=Table;v=v1beta1;g=meta.k8s.io";
    case ResponseFormat::PartialObjectMetadata:
        return "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io";
    }
    return "application/json";
}

bool isTable(ResponseFormat format) {
    return format == ResponseFormat::TableV1 || format == ResponseFormat::TableV1beta1;
}

ApiResult<boost::json::value> parseJsonBody(std::string_view body) {
    GoJsonScanner scanner(body);
    std::string problem = scanner.check();
    if (!problem.empty()) {
        return ApiError::badRequest(problem);
    }
    boost::json::error_code ec;
    boost::json::parse_options options;
    options.max_depth = 10000; // Go's decoder limit; boost's default of 32 is too tight
    boost::json::value value = boost::json::parse(body, ec, {}, options);
    if (ec) {
        return ApiError::badRequest(ec.message());
    }
    return value;
}

ApiResult<boost::json::object> decodeObjectBody(std::string_view contentType,
                                                std::string_view body) {
    auto types = parseMediaTypes(contentType);
    std::string essence = types.empty() ? std::string("application/json") : types.front().essence();
    if (essence == "application/json") {
        auto parsed = parseJsonBody(body);
        if (!parsed.ok()) {
            return ApiError::badRequest("couldn't get version/kind; json parse error: " +
                                        parsed.error().message);
        }
        return requireObject(std::move(parsed.value()));
    }
    if (essence == "application/yaml") {
        auto converted = yaml::toJson(body);
        if (!converted.ok()) {
            return ApiError::badRequest("error converting YAML to JSON: " + converted.message());
        }
        return requireObject(std::move(converted.value()));
    }
    if (essence == "application/vnd.kubernetes.protobuf") {
        return decodeKubernetesProtobuf(body); // protobuf_decoder.h (engineer PROTO)
    }
    return ApiError::unsupportedMediaType(
        std::string("the body of the request was in an unknown format - accepted media types "
                    "include: ") +
        kAcceptedBodyTypes);
}

ApiResult<PatchType> patchTypeFor(std::string_view contentType, bool allowStrategic) {
    auto types = parseMediaTypes(contentType);
    std::string essence = types.empty() ? std::string() : types.front().essence();
    if (essence == "application/json-patch+json") {
        return PatchType::Json;
    }
    if (essence == "application/merge-patch+json") {
        return PatchType::Merge;
    }
    if (essence == "application/strategic-merge-patch+json" && allowStrategic) {
        return PatchType::StrategicMerge;
    }
    if (essence == "application/apply-patch+yaml") {
        return PatchType::Apply;
    }
    std::string accepted = "application/json-patch+json, application/merge-patch+json, ";
    if (allowStrategic) {
        accepted += "application/strategic-merge-patch+json, ";
    }
    accepted += "application/apply-patch+yaml";
    return ApiError::unsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: " +
        accepted);
}

} // namespace sandbox
