#include "http/request_decoder.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <cmath>

namespace forecast::http {
namespace {

namespace bj = boost::json;

// Request bodies are small: parse them into a stack buffer so a typical request does not
// touch the heap; larger (batch) bodies spill over into the monotonic resource's heap blocks.
constexpr std::size_t kParseBufferBytes = 4096;

rf::Result<bj::value, ApiError> parseBody(std::string_view body, bj::monotonic_resource &resource) {
    bj::parse_options options;
    options.max_depth = 16; // our documents are shallow; deep nesting is an attack, not data
    boost::system::error_code ec;
    // The value is constructed in place on `resource`: moving it later keeps that storage.
    bj::value value = bj::parse(bj::string_view(body.data(), body.size()), ec, &resource, options);
    if (ec) {
        if (body.empty()) {
            return badRequest("request body is empty; expected a JSON object");
        }
        return badRequest("malformed JSON: " + ec.message());
    }
    return value;
}

std::string fieldName(std::string_view prefix, std::string_view field) {
    std::string name(prefix);
    name.append(field);
    return name;
}

// store/item: a non-empty string or an integer (its decimal string).
rf::Result<std::string, ApiError> decodeKey(const bj::object &obj, std::string_view field,
                                            std::string_view prefix) {
    const auto *v = obj.if_contains(bj::string_view(field.data(), field.size()));
    if (v == nullptr || v->is_null()) {
        return invalidField("missing field '" + fieldName(prefix, field) + "'");
    }
    if (v->is_string()) {
        const auto &s = v->get_string();
        if (s.empty()) {
            return invalidField("field '" + fieldName(prefix, field) + "' must not be empty");
        }
        if (s.size() > kMaxKeyLength) {
            return invalidField("field '" + fieldName(prefix, field) + "' is longer than " +
                                std::to_string(kMaxKeyLength) + " characters");
        }
        return std::string(s.data(), s.size());
    }
    char buf[24];
    std::to_chars_result res{};
    if (v->is_int64()) {
        res = std::to_chars(buf, buf + sizeof buf, v->get_int64());
    } else if (v->is_uint64()) {
        res = std::to_chars(buf, buf + sizeof buf, v->get_uint64());
    } else {
        return invalidField("field '" + fieldName(prefix, field) +
                            "' must be a string or an integer");
    }
    return std::string(buf, res.ptr);
}

rf::Status decodeHorizon(const bj::object &obj, PredictRequest &out, std::string_view prefix,
                         ApiError &error) {
    const auto *v = obj.if_contains("horizon");
    if (v == nullptr || v->is_null()) {
        return rf::ok();
    }
    long long horizon = 0;
    if (v->is_int64()) {
        horizon = v->get_int64();
    } else if (v->is_uint64()) {
        horizon = v->get_uint64() > static_cast<std::uint64_t>(kMaxHorizon)
                      ? kMaxHorizon + 1
                      : static_cast<long long>(v->get_uint64());
    } else {
        error = invalidField("field '" + fieldName(prefix, "horizon") + "' must be an integer");
        return rf::fail(error.message);
    }
    if (horizon < 1 || horizon > kMaxHorizon) {
        error = {422, "horizon_out_of_range",
                 "field '" + fieldName(prefix, "horizon") + "' must be between 1 and " +
                     std::to_string(kMaxHorizon) + " days"};
        return rf::fail(error.message);
    }
    out.horizon = static_cast<int>(horizon);
    return rf::ok();
}

rf::Status decodeQuantiles(const bj::object &obj, PredictRequest &out, std::string_view prefix,
                           ApiError &error) {
    const auto *v = obj.if_contains("quantiles");
    if (v == nullptr || v->is_null()) {
        return rf::ok();
    }
    const std::string name = fieldName(prefix, "quantiles");
    if (!v->is_array()) {
        error = invalidField("field '" + name + "' must be an array of numbers");
        return rf::fail(error.message);
    }
    const auto &arr = v->get_array();
    if (arr.size() > kMaxQuantiles) {
        error = invalidField("field '" + name + "' has more than " + std::to_string(kMaxQuantiles) +
                             " entries");
        return rf::fail(error.message);
    }
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const auto &q = arr[i];
        double value = std::nan("");
        if (q.is_double()) {
            value = q.get_double();
        } else if (q.is_int64()) {
            value = static_cast<double>(q.get_int64());
        } else if (q.is_uint64()) {
            value = static_cast<double>(q.get_uint64());
        }
        if (!(value > 0.0 && value < 1.0)) {
            error = invalidField("field '" + name + "[" + std::to_string(i) +
                                 "]' must be a number strictly between 0 and 1");
            return rf::fail(error.message);
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (out.quantileStorage[j] == value) {
                error = invalidField("field '" + name + "' lists " +
                                     std::to_string(value).substr(0, 8) + " twice");
                return rf::fail(error.message);
            }
        }
        out.quantileStorage[i] = value;
    }
    out.quantileCount = arr.size();
    return rf::ok();
}

PredictDecode decodeObject(const bj::value &value, std::string_view prefix) {
    if (!value.is_object()) {
        return invalidField(prefix.empty()
                                ? std::string("request body must be a JSON object")
                                : "'" + std::string(prefix.substr(0, prefix.size() - 1)) +
                                      "' must be a JSON object");
    }
    const auto &obj = value.get_object();
    PredictRequest out;
    auto store = decodeKey(obj, "store", prefix);
    if (!store) {
        return store.error();
    }
    auto item = decodeKey(obj, "item", prefix);
    if (!item) {
        return item.error();
    }
    out.store = std::move(store.value());
    out.item = std::move(item.value());
    ApiError error;
    if (!decodeHorizon(obj, out, prefix, error) || !decodeQuantiles(obj, out, prefix, error)) {
        return error;
    }
    return out;
}

} // namespace

PredictDecode decodePredict(std::string_view body) {
    unsigned char buffer[kParseBufferBytes];
    bj::monotonic_resource resource(buffer, sizeof buffer);
    auto parsed = parseBody(body, resource);
    if (!parsed) {
        return parsed.error();
    }
    return decodeObject(parsed.value(), "");
}

rf::Result<std::vector<PredictDecode>, ApiError> decodeBatch(std::string_view body) {
    unsigned char buffer[kParseBufferBytes];
    bj::monotonic_resource resource(buffer, sizeof buffer);
    auto parsed = parseBody(body, resource);
    if (!parsed) {
        return parsed.error();
    }
    if (!parsed->is_object()) {
        return invalidField("request body must be a JSON object");
    }
    const auto *requests = parsed->get_object().if_contains("requests");
    if (requests == nullptr || requests->is_null()) {
        return invalidField("missing field 'requests'");
    }
    if (!requests->is_array()) {
        return invalidField("field 'requests' must be an array");
    }
    const auto &arr = requests->get_array();
    if (arr.size() > kMaxBatchRequests) {
        return invalidField("field 'requests' has " + std::to_string(arr.size()) +
                            " entries; at most " + std::to_string(kMaxBatchRequests) +
                            " are allowed");
    }
    std::vector<PredictDecode> out;
    out.reserve(arr.size());
    std::string prefix;
    for (std::size_t i = 0; i < arr.size(); ++i) {
        prefix = "requests[" + std::to_string(i) + "].";
        out.push_back(decodeObject(arr[i], prefix));
    }
    return out;
}

} // namespace forecast::http
