#pragma once
// POST /predict and POST /predict/batch: decode, look up the series, forecast, write JSON.

#include "http/router.h"

namespace forecast::http {

Response handlePredict(const Request &request, const RouteDeps &deps);
Response handlePredictBatch(const Request &request, const RouteDeps &deps);

} // namespace forecast::http
