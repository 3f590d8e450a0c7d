#pragma once
// Fits every series of a data set in parallel: a holdout fit scored against the last days,
// then the served fit on all days (docs/model.md, "Training").

#include "model/forecast_model.h"
#include "model/sales_data.h"

#include <functional>
#include <string>
#include <vector>

namespace forecast {

enum class Refit {
    Full,   // re-estimate the parameters on all days, starting from the holdout fit
    States, // keep the holdout fit's parameters, run the recursions over the holdout days
};

struct TrainOptions {
    int holdoutDays = 28;
    int threads = 0; // 0: one per hardware thread
    Refit refit = Refit::Full;
    std::string trainedAt; // RFC 3339; empty: now (tests inject a fixed time)
    // Called after each series with (done, total), serialised, from worker threads.
    std::function<void(std::size_t, std::size_t)> progress;
};

struct TrainResult {
    Model model;
    std::vector<std::string> warnings; // series left out of the model and why
    int scoredSeries = 0;
    double wallSeconds = 0.0;       // whole parallel fit
    double holdoutCpuSeconds = 0.0; // CPU time summed over threads: holdout fits and scoring
    double refitCpuSeconds = 0.0;   // CPU time summed over threads: served fits
    long long evaluations = 0;      // likelihood evaluations over all fits
    int threads = 0;
};

// Fails only when no series could be fitted.
rf::Result<TrainResult> train(const SalesData &data, const TrainOptions &options);

// The --report document: {"overall": {...}, "series": [{"store", "item", ...}], ...}.
std::string reportJson(const TrainResult &result);

// Current time as RFC 3339 UTC with seconds ("2026-11-25T14:00:00Z").
std::string utcNow();

} // namespace forecast
