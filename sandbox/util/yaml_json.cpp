#include "util/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace sandbox::yaml {

namespace {

namespace bj = boost::json;

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

bool oneOf(const std::string &text, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), text) != words.end();
}

// go-yaml v2 accepts '_' as a digit separator in numbers.
std::string withoutUnderscores(const std::string &text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c != '_') {
            out.push_back(c);
        }
    }
    return out;
}

// Integer forms of YAML 1.1: decimal, 0x hex, 0b binary, leading-0 octal, with sign.
bool parseInteger(const std::string &raw, bj::value &out) {
    std::string text = withoutUnderscores(raw);
    if (text.empty()) {
        return false;
    }
    bool negative = false;
    std::size_t pos = 0;
    if (text[0] == '+' || text[0] == '-') {
        negative = text[0] == '-';
        pos = 1;
    }
    if (pos >= text.size()) {
        return false;
    }
    int base = 10;
    if (text.compare(pos, 2, "0x") == 0) {
        base = 16;
        pos += 2;
    } else if (text.compare(pos, 2, "0b") == 0) {
        base = 2;
        pos += 2;
    } else if (text[pos] == '0' && text.size() > pos + 1) {
        base = 8;
        pos += 1;
    }
    if (pos >= text.size()) {
        return false;
    }
    for (std::size_t i = pos; i < text.size(); ++i) {
        char c = text[i];
        bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                             : (c >= '0' && c < static_cast<char>('0' + std::min(base, 10)));
        if (!ok) {
            return false;
        }
    }
    errno = 0;
    const char *digits = text.c_str() + pos;
    unsigned long long magnitude = std::strtoull(digits, nullptr, base);
    if (errno == ERANGE) {
        // Too big for 64 bits: go-yaml falls back to a float.
        out = std::strtod(text.c_str(), nullptr);
        return base == 10;
    }
    if (negative) {
        constexpr unsigned long long limit =
            static_cast<unsigned long long>(std::numeric_limits<long long>::max()) + 1ULL;
        if (magnitude > limit) {
            out = -static_cast<double>(magnitude);
        } else if (magnitude == limit) {
            out = std::numeric_limits<std::int64_t>::min();
        } else {
            out = -static_cast<std::int64_t>(magnitude);
        }
    } else if (magnitude > static_cast<unsigned long long>(std::numeric_limits<long long>::max())) {
        out = static_cast<std::uint64_t>(magnitude);
    } else {
        out = static_cast<std::int64_t>(magnitude);
    }
    return true;
}

bool parseFloat(const std::string &raw, bj::value &out) {
    std::string text = withoutUnderscores(raw);
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        ++i;
    }
    std::size_t intDigits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        ++i;
        ++intDigits;
    }
    std::size_t fracDigits = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            ++i;
            ++fracDigits;
        }
    }
    if (intDigits == 0 && fracDigits == 0) {
        return false;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
            ++i;
        }
        std::size_t expDigits = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            ++i;
            ++expDigits;
        }
        if (expDigits == 0) {
            return false;
        }
    }
    if (i != text.size()) {
        return false;
    }
    out = std::strtod(text.c_str(), nullptr);
    return true;
}

struct Converter {
    std::string error;

    bool scalar(const YAML::Node &node, bj::value &out) {
        const std::string &tag = node.Tag();
        const std::string &text = node.Scalar();
        if (tag == "!" || tag == std::string(kTagPrefix) + "str" || tag == "!!str") {
            out = bj::string(text);
            return true;
        }
        if (tag.empty() || tag == "?") {
            out = resolvePlainScalar(text);
        } else if (tag.rfind(kTagPrefix, 0) == 0) {
            std::string kind = tag.substr(kTagPrefix.size());
            bj::value resolved = resolvePlainScalar(text);
            bool fits = (kind == "int" && resolved.is_number() && !resolved.is_double()) ||
                        (kind == "float" && resolved.is_number()) ||
                        (kind == "bool" && resolved.is_bool()) ||
                        (kind == "null" && resolved.is_null());
            if (!fits) {
                error = "yaml: line " + std::to_string(node.Mark().line + 1) +
                        ": cannot decode !!" + kind + " `" + text + "`";
                return false;
            }
            if (kind == "float" && !resolved.is_double()) {
                resolved = resolved.to_number<double>();
            }
            out = std::move(resolved);
        } else {
            // Application tags (!foo) carry no meaning for Kubernetes objects.
            out = resolvePlainScalar(text);
        }
        if (out.is_double() && !std::isfinite(out.get_double())) {
            error = "yaml: line " + std::to_string(node.Mark().line + 1) +
                    ": json: unsupported value: " + text;
            return false;
        }
        return true;
    }

    bool key(const YAML::Node &node, std::string &out) {
        if (!node.IsScalar()) {
            error = "yaml: line " + std::to_string(node.Mark().line + 1) +
                    ": invalid map key: only scalar keys can be converted to JSON";
            return false;
        }
        bj::value v;
        if (!scalar(node, v)) {
            return false;
        }
        // sigs.k8s.io/yaml turns non-string keys into their JSON text ("1", "true").
        out = v.is_string() ? std::string(v.get_string()) : bj::serialize(v);
        if (v.is_null()) {
            out = "null";
        }
        return true;
    }

    bool convert(const YAML::Node &node, bj::value &out, int depth) {
        if (depth > 200) {
            error = "yaml: exceeded max depth of 200";
            return false;
        }
        switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            out = nullptr;
            return true;
        case YAML::NodeType::Scalar:
            return scalar(node, out);
        case YAML::NodeType::Sequence: {
            bj::array array;
            array.reserve(node.size());
            for (const auto &item : node) {
                bj::value v;
                if (!convert(item, v, depth + 1)) {
                    return false;
                }
                array.push_back(std::move(v));
            }
            out = std::move(array);
            return true;
        }
        case YAML::NodeType::Map: {
            bj::object object;
            for (const auto &entry : node) {
                std::string k;
                if (!key(entry.first, k)) {
                    return false;
                }
                bj::value v;
                if (!convert(entry.second, v, depth + 1)) {
                    return false;
                }
                object[k] = std::move(v);
            }
            out = std::move(object);
            return true;
        }
        }
        out = nullptr;
        return true;
    }
};

std::string parseErrorMessage(const YAML::Exception &e) {
    std::string msg = e.msg;
    if (e.mark.is_null()) {
        return "yaml: " + msg;
    }
    return "yaml: line " + std::to_string(e.mark.line + 1) + ": " + msg;
}

// Whether a string must be quoted to stay a string when read back.
bool needsQuotes(const std::string &text) {
    if (text.empty()) {
        return true;
    }
    bj::value resolved = resolvePlainScalar(text);
    if (!resolved.is_string()) {
        return true;
    }
    // Leading/trailing spaces and YAML indicators are handled by the emitter itself;
    // timestamps stay strings in our reader but other readers may convert them.
    return std::isdigit(static_cast<unsigned char>(text[0])) != 0 &&
           text.find_first_of("-:") != std::string::npos;
}

void emit(YAML::Emitter &out, const bj::value &value) {
    switch (value.kind()) {
    case bj::kind::null:
        out << YAML::Null;
        break;
    case bj::kind::bool_:
        out << (value.get_bool() ? "true" : "false");
        break;
    case bj::kind::int64:
        out << value.get_int64();
        break;
    case bj::kind::uint64:
        out << value.get_uint64();
        break;
    case bj::kind::double_: {
        // Keep a float a float when read back ("1" would become an int).
        std::string text = bj::serialize(value);
        if (text.find_first_of(".eE") == std::string::npos) {
            text += ".0";
        }
        out << text;
        break;
    }
    case bj::kind::string: {
        std::string text(value.get_string());
        // yaml-cpp writes literal blocks with clip chomping ("|"), which reads back with
        // exactly one trailing newline: use them only for text that has exactly that.
        const bool literalSafe =
            text.size() >= 2 && text.back() == '\n' && text[text.size() - 2] != '\n' &&
            text.find_first_of("\r\t") == std::string::npos && text.front() != ' ';
        if (text.find('\n') != std::string::npos && literalSafe) {
            out << YAML::Literal << text;
        } else if (text.find('\n') != std::string::npos) {
            out << YAML::DoubleQuoted << text;
        } else if (needsQuotes(text)) {
            out << YAML::DoubleQuoted << text;
        } else {
            out << text;
        }
        break;
    }
    case bj::kind::array: {
        const auto &array = value.get_array();
        if (array.empty()) {
            out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
            break;
        }
        out << YAML::BeginSeq;
        for (const auto &item : array) {
            emit(out, item);
        }
        out << YAML::EndSeq;
        break;
    }
    case bj::kind::object: {
        const auto &object = value.get_object();
        if (object.empty()) {
            out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
            break;
        }
        out << YAML::BeginMap;
        for (const auto &entry : object) {
            std::string key(entry.key());
            out << YAML::Key;
            if (needsQuotes(key)) {
                out << YAML::DoubleQuoted;
            }
            out << key << YAML::Value;
            emit(out, entry.value());
        }
        out << YAML::EndMap;
        break;
    }
    }
}

} // namespace

boost::json::value resolvePlainScalar(const std::string &text) {
    if (oneOf(text, {"", "~", "null", "Null", "NULL"})) {
        return nullptr;
    }
    if (oneOf(text, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
        return true;
    }
    if (oneOf(text, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
        return false;
    }
    if (oneOf(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) {
        return std::numeric_limits<double>::infinity();
    }
    if (oneOf(text, {"-.inf", "-.Inf", "-.INF"})) {
        return -std::numeric_limits<double>::infinity();
    }
    if (oneOf(text, {".nan", ".NaN", ".NAN"})) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    const char first = text[0];
    if (std::isdigit(static_cast<unsigned char>(first)) || first == '-' || first == '+' ||
        first == '.') {
        bj::value number;
        if (parseInteger(text, number) || parseFloat(text, number)) {
            return number;
        }
    }
    return bj::string(text);
}

rf::Result<boost::json::value> toJson(std::string_view text) {
    auto all = allToJson(text);
    if (!all.ok()) {
        return all.error();
    }
    if (all->empty()) {
        return bj::value(nullptr);
    }
    return std::move(all->front());
}

rf::Result<std::vector<boost::json::value>> allToJson(std::string_view text) {
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(std::string(text));
    } catch (const YAML::Exception &e) {
        return rf::fail(parseErrorMessage(e));
    }
    std::vector<bj::value> out;
    out.reserve(documents.size());
    for (const auto &document : documents) {
        if (!document.IsDefined() || document.IsNull()) {
            continue;
        }
        Converter converter;
        bj::value v;
        try {
            if (!converter.convert(document, v, 0)) {
                return rf::fail(converter.error);
            }
        } catch (const YAML::Exception &e) {
            return rf::fail(parseErrorMessage(e));
        }
        out.push_back(std::move(v));
    }
    return out;
}

std::string fromJson(const boost::json::value &value) {
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    out.SetMapFormat(YAML::Block);
    emit(out, value);
    std::string text = out.c_str();
    if (!text.empty() && text.back() != '\n') {
        text.push_back('\n');
    }
    return text;
}

} // namespace sandbox::yaml
