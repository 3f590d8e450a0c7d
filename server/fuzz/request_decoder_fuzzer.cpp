// libFuzzer target: POST /predict and /predict/batch body decoding, plus the JSON error
// rendering every rejection goes through. Beyond "no crash, no sanitizer report", it checks
// the decoder's promises: accepted requests are within limits, rejections are 400 or 422,
// and error bodies are valid JSON.

#include "http/api_error.h"
#include "http/request_decoder.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace forecast::http;

void check(bool condition) {
    if (!condition) {
        std::abort(); // libFuzzer reports the input that broke a promise
    }
}

void checkRequest(const PredictRequest &r) {
    check(!r.store.empty() && !r.item.empty());
    check(r.store.size() <= 20 + kMaxKeyLength && r.item.size() <= 20 + kMaxKeyLength);
    check(r.horizon >= 1 && r.horizon <= kMaxHorizon);
    check(r.quantileCount <= kMaxQuantiles);
    for (const double q : r.quantiles()) {
        check(q > 0.0 && q < 1.0);
    }
}

void checkError(const ApiError &e) {
    check(e.status == 400 || e.status == 422);
    check(!e.message.empty());
    boost::system::error_code ec;
    const auto rendered = boost::json::parse(renderError(e), ec);
    check(!ec && rendered.is_object());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char *>(data), size);
    if (auto single = decodePredict(body)) {
        checkRequest(single.value());
    } else {
        checkError(single.error());
    }
    if (auto batch = decodeBatch(body)) {
        check(batch->size() <= kMaxBatchRequests);
        for (const auto &entry : batch.value()) {
            if (entry) {
                checkRequest(entry.value());
            } else {
                checkError(entry.error());
            }
        }
    } else {
        checkError(batch.error());
    }
    return 0;
}
