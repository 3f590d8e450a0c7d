#pragma once
// JSON parsing whose doubles round-trip exactly. Boost.JSON 1.81's own parser may land one
// unit in the last place away from the written value (its fast number path); the model file
// promises that saving and loading gives back the same bits, so numbers are re-read here
// with std::from_chars, which is correctly rounded.

#include <rf/result.h>

#include <boost/json/value.hpp>

#include <string_view>

namespace forecast {

rf::Result<boost::json::value> parseJsonExact(std::string_view text);

} // namespace forecast
