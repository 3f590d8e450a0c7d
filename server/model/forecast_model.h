#pragma once
// The trained forecast model as forecast-api serves it and forecast-train writes it:
// per-series damped-trend, weekly-seasonal exponential smoothing (ETS(A,Ad,A), period 7)
// with analytic prediction intervals. This header is the contract between the trainer
// (server/model, server/train) and the HTTP service (server/http).

#include <rf/result.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace forecast {

using Date = std::chrono::sys_days;

// Current model file format; load() rejects files of another major format.
inline constexpr int kModelFormatVersion = 1;
inline constexpr int kSeasonPeriod = 7;

struct EtsParameters {
    double alpha = 0.0; // level smoothing
    double beta = 0.0;  // trend smoothing
    double gamma = 0.0; // seasonal smoothing
    double phi = 1.0;   // trend damping
};

// State after the last training observation.
struct EtsState {
    double level = 0.0;
    double trend = 0.0;
    // season[k] is the seasonal component that applies k+1 days after the last
    // training day, modulo the period (so season[0] belongs to the first forecast day).
    std::array<double, kSeasonPeriod> season{};
};

struct Accuracy {
    double mase = 0.0;
    double smape = 0.0;      // percent, 0..200
    double coverage80 = 0.0; // fraction of holdout days inside the 80% interval, 0..1
    double naiveMase = 0.0;  // seasonal-naive baseline
    double naiveSmape = 0.0;
    int days = 0; // holdout days scored; 0 means the series had too little data to score
};

struct SeriesModel {
    std::string store;
    std::string item;
    EtsParameters params;
    EtsState state;
    double sigma = 0.0; // one-step residual standard deviation
    Date firstDate{};   // first training day of this series
    Date lastDate{};    // last training day; forecasts start the day after
    Accuracy holdout;
};

struct ForecastDay {
    Date date{};
    double mean = 0.0;
    // One value per requested quantile, in request order (clamped at 0: sales are non-negative).
    std::vector<double> quantiles;
};

// The same forecast laid out flat for callers that forecast repeatedly (the HTTP handler):
// reused across calls, it allocates only when a request is larger than any before it.
struct ForecastTable {
    std::vector<Date> dates;
    std::vector<double> means;
    std::vector<double> quantiles; // row-major: quantiles[day * quantileCount + q]
    std::size_t quantileCount = 0;

    std::size_t days() const { return means.size(); }
    double quantile(std::size_t day, std::size_t q) const {
        return quantiles[day * quantileCount + q];
    }
};

class Model final {
public:
    // Reads and validates a model file; the error names the file and what is wrong.
    static rf::Result<Model> load(const std::string &path);
    // Parses model JSON; sourceName is used in error messages.
    static rf::Result<Model> parse(std::string_view json, std::string_view sourceName);
    // Writes atomically (temporary file + rename) so a reader never sees half a file.
    rf::Status save(const std::string &path) const;
    std::string serialize() const;

    const SeriesModel *find(std::string_view store, std::string_view item) const;

    // Point forecast and quantiles for days 1..horizon after the series' last day.
    // Each quantile must be in (0, 1); horizon >= 1.
    std::vector<ForecastDay> forecast(const SeriesModel &series, int horizon,
                                      std::span<const double> quantiles) const;
    // The same values as forecast(), written into `out` (its previous contents replaced).
    void forecastInto(const SeriesModel &series, int horizon, std::span<const double> quantiles,
                      ForecastTable &out) const;

    // Metadata (GET /model, model_info{version}).
    int formatVersion = kModelFormatVersion;
    std::string version;   // e.g. "2026-11-25T14:00:00Z-1a2b3c4d"; unique per trained file
    std::string trainedAt; // RFC 3339 UTC
    Date windowStart{};    // first training day over all series
    Date windowEnd{};      // last training day over all series
    int holdoutDays = 0;
    Accuracy overall;

    const std::vector<SeriesModel> &series() const { return m_series; }
    void setSeries(std::vector<SeriesModel> series);

private:
    std::vector<SeriesModel> m_series;
    std::unordered_map<std::string, std::size_t> m_index; // "store\x1fitem" -> position
};

// Standard normal quantile (inverse CDF), accurate to ~1e-9 on (0, 1).
double normalQuantile(double p);

// Forecast mean and variance h >= 1 days after the state's last day (docs/model.md).
double forecastMean(const EtsParameters &params, const EtsState &state, int h);
double forecastVariance(const EtsParameters &params, double sigma, int h);

// ISO date helpers ("2021-01-01").
rf::Result<Date> parseDate(std::string_view text);
std::string formatDate(Date date);

} // namespace forecast
