#pragma once
// Decoding of /predict and /predict/batch request bodies into validated values. Pure
// functions of the body text (no I/O, no model): unit tested and fuzzed (server/fuzz).

#include "http/api_error.h"

#include <rf/result.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace forecast::http {

inline constexpr int kDefaultHorizon = 28;
inline constexpr int kMaxHorizon = 365;
inline constexpr std::size_t kMaxQuantiles = 32;
inline constexpr std::size_t kMaxBatchRequests = 1000;
inline constexpr std::size_t kMaxKeyLength = 128; // store/item identifiers

struct PredictRequest {
    std::string store; // integers in the request arrive here as their decimal string
    std::string item;
    int horizon = kDefaultHorizon;
    // Fixed capacity so decoding a request does not allocate for the quantiles.
    std::array<double, kMaxQuantiles> quantileStorage{0.1, 0.9};
    std::size_t quantileCount = 2;

    std::span<const double> quantiles() const { return {quantileStorage.data(), quantileCount}; }
};

using PredictDecode = rf::Result<PredictRequest, ApiError>;

// One /predict body. Malformed JSON -> 400; anything else wrong -> 422 naming the field.
PredictDecode decodePredict(std::string_view body);

// A /predict/batch body {"requests":[...]}: the envelope fails as a whole (400/422),
// each entry succeeds or fails on its own (messages prefixed with "requests[i].").
rf::Result<std::vector<PredictDecode>, ApiError> decodeBatch(std::string_view body);

} // namespace forecast::http
