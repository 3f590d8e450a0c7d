#include "model/trainer.h"

#include "model/accuracy.h"
#include "model/ets.h"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>
#include <time.h>

namespace forecast {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the calling thread: unlike wall time it does not grow when other processes
// compete for the cores, so the figures compare across runs.
double threadCpuSeconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Fewest training days (before the holdout) for a holdout score to mean anything: four
// weeks to fit on and one season for the baseline.
constexpr std::size_t kMinScoredTrainDays = 4 * std::size_t{kSeasonPeriod};

struct SeriesOutcome {
    std::optional<SeriesModel> model;
    std::string warning;
    double holdoutSeconds = 0.0;
    double refitSeconds = 0.0;
    long long evaluations = 0;
};

HoldoutForecast holdoutForecast(const EtsFit &fit, int horizon) {
    static const double z90 = normalQuantile(0.9);
    HoldoutForecast f;
    for (int h = 1; h <= horizon; ++h) {
        const double mean = forecastMean(fit.params, fit.state, h);
        const double sd = std::sqrt(forecastVariance(fit.params, fit.sigma, h));
        // Clamped as the served forecasts are: sales are non-negative.
        f.mean.push_back(std::max(0.0, mean));
        f.lower.push_back(std::max(0.0, mean - z90 * sd));
        f.upper.push_back(std::max(0.0, mean + z90 * sd));
    }
    return f;
}

SeriesOutcome fitSeries(const SalesSeries &series, const TrainOptions &options) {
    SeriesOutcome out;
    const std::span<const double> y(series.values);
    const auto holdout = static_cast<std::size_t>(std::max(options.holdoutDays, 0));
    Accuracy accuracy;
    std::optional<EtsFit> holdoutFit;

    double start = threadCpuSeconds();
    if (holdout > 0 && y.size() >= holdout + kMinScoredTrainDays) {
        const std::span<const double> train = y.first(y.size() - holdout);
        const std::span<const double> actual = y.last(holdout);
        if (auto fit = fitEts(train); fit) {
            accuracy =
                scoreHoldout(train, actual, holdoutForecast(*fit, static_cast<int>(holdout)));
            out.evaluations += fit->evaluations;
            holdoutFit = *fit;
        }
    }
    out.holdoutSeconds = threadCpuSeconds() - start;

    start = threadCpuSeconds();
    std::optional<EtsFit> served;
    if (holdoutFit && options.refit == Refit::States) {
        // Same parameters; the recursions run from the same initial state over every day.
        EtsFit fit = *holdoutFit;
        fit.state = fit.initial;
        const FilterResult r = runFilter(fit.params, fit.state, y);
        fit.observations = r.observations;
        fit.sigma = std::sqrt(r.sse / std::max(1, r.observations - 12));
        served = fit;
    } else {
        EtsFitOptions fitOptions;
        if (holdoutFit) {
            fitOptions.start = &holdoutFit->params;
        }
        auto fit = fitEts(y, fitOptions);
        if (!fit) {
            out.warning = "store '" + series.store + "', item '" + series.item +
                          "': left out of the model: " + fit.message();
            return out;
        }
        out.evaluations += fit->evaluations;
        served = *fit;
    }
    out.refitSeconds = threadCpuSeconds() - start;

    SeriesModel m;
    m.store = series.store;
    m.item = series.item;
    m.params = served->params;
    m.state = served->state;
    m.sigma = served->sigma;
    m.firstDate = series.firstDate;
    m.lastDate = series.lastDate();
    m.holdout = accuracy;
    out.model = std::move(m);
    return out;
}

Accuracy overallAccuracy(const std::vector<SeriesModel> &series, int &scored) {
    Accuracy overall;
    double covered = 0.0;
    scored = 0;
    for (const SeriesModel &s : series) {
        if (s.holdout.days == 0) {
            continue;
        }
        ++scored;
        overall.mase += s.holdout.mase;
        overall.smape += s.holdout.smape;
        overall.naiveMase += s.holdout.naiveMase;
        overall.naiveSmape += s.holdout.naiveSmape;
        covered += s.holdout.coverage80 * s.holdout.days;
        overall.days += s.holdout.days;
    }
    if (scored > 0) {
        overall.mase /= scored;
        overall.smape /= scored;
        overall.naiveMase /= scored;
        overall.naiveSmape /= scored;
        overall.coverage80 = covered / overall.days;
    }
    return overall;
}

std::string contentHash(const Model &model) {
    // FNV-1a over the series part: two trainings of different data get different versions.
    std::uint64_t h = 0xcbf29ce484222325ULL;
    const std::string text = model.serialize();
    for (const unsigned char c : text) {
        h = (h ^ c) * 0x100000001b3ULL;
    }
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(h ^ (h >> 32)));
    return buf;
}

// Adds the accuracy fields to obj; null for a series that could not be scored.
void putAccuracy(boost::json::object &obj, const Accuracy &a) {
    auto put = [&](const char *name, double v) {
        if (a.days == 0) {
            obj[name] = nullptr;
        } else {
            obj[name] = v;
        }
    };
    put("mase", a.mase);
    put("smape", a.smape);
    put("coverage80", a.coverage80);
    put("naive_mase", a.naiveMase);
    put("naive_smape", a.naiveSmape);
    obj["days"] = a.days;
}

} // namespace

std::string utcNow() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto day = std::chrono::floor<std::chrono::days>(now);
    const std::chrono::hh_mm_ss hms{now - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", formatDate(day).c_str(),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

rf::Result<TrainResult> train(const SalesData &data, const TrainOptions &options) {
    const std::size_t total = data.series.size();
    std::vector<SeriesOutcome> outcomes(total);
    const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    const auto threads = static_cast<unsigned>(std::clamp<std::size_t>(
        options.threads > 0 ? static_cast<std::size_t>(options.threads) : hardware, 1,
        std::max<std::size_t>(total, 1)));

    std::atomic<std::size_t> next{0};
    std::mutex progressMutex;
    std::size_t done = 0;
    auto worker = [&] {
        for (std::size_t i = next.fetch_add(1); i < total; i = next.fetch_add(1)) {
            outcomes[i] = fitSeries(data.series[i], options);
            std::lock_guard lock(progressMutex);
            ++done;
            if (options.progress) {
                options.progress(done, total);
            }
        }
    };
    const auto start = Clock::now();
    {
        std::vector<std::jthread> pool;
        for (unsigned t = 1; t < threads; ++t) {
            pool.emplace_back(worker);
        }
        worker();
    }

    TrainResult result;
    result.wallSeconds = secondsSince(start);
    result.threads = static_cast<int>(threads);
    std::vector<SeriesModel> series;
    series.reserve(total);
    for (SeriesOutcome &o : outcomes) {
        result.holdoutCpuSeconds += o.holdoutSeconds;
        result.refitCpuSeconds += o.refitSeconds;
        result.evaluations += o.evaluations;
        if (o.model) {
            series.push_back(std::move(*o.model));
        } else {
            result.warnings.push_back(std::move(o.warning));
        }
    }
    if (series.empty()) {
        return rf::fail("no series could be fitted" +
                        (result.warnings.empty() ? std::string() : ": " + result.warnings.front()));
    }

    Model &model = result.model;
    model.holdoutDays = std::max(options.holdoutDays, 0);
    model.windowStart = series.front().firstDate;
    model.windowEnd = series.front().lastDate;
    for (const SeriesModel &s : series) {
        model.windowStart = std::min(model.windowStart, s.firstDate);
        model.windowEnd = std::max(model.windowEnd, s.lastDate);
    }
    model.overall = overallAccuracy(series, result.scoredSeries);
    model.setSeries(std::move(series));
    model.trainedAt = options.trainedAt.empty() ? utcNow() : options.trainedAt;
    model.version = model.trainedAt + "-" + contentHash(model);
    return result;
}

std::string reportJson(const TrainResult &result) {
    namespace json = boost::json;
    const Model &model = result.model;
    json::array series;
    for (const SeriesModel &s : model.series()) {
        json::object entry{{"store", s.store}, {"item", s.item}};
        putAccuracy(entry, s.holdout);
        entry["alpha"] = s.params.alpha;
        entry["beta"] = s.params.beta;
        entry["gamma"] = s.params.gamma;
        entry["phi"] = s.params.phi;
        entry["sigma"] = s.sigma;
        series.push_back(std::move(entry));
    }
    json::object overall;
    putAccuracy(overall, model.overall);
    overall["series_scored"] = result.scoredSeries;
    json::object root{
        {"model_version", model.version},
        {"holdout_days", model.holdoutDays},
        {"training_window", json::object{{"start", formatDate(model.windowStart)},
                                         {"end", formatDate(model.windowEnd)}}},
        {"overall", std::move(overall)},
        {"series", std::move(series)},
        {"left_out", json::value_from(result.warnings)},
        {"timing", json::object{{"threads", result.threads},
                                {"wall_seconds", result.wallSeconds},
                                {"holdout_cpu_seconds", result.holdoutCpuSeconds},
                                {"refit_cpu_seconds", result.refitCpuSeconds},
                                {"likelihood_evaluations", result.evaluations}}},
    };
    return json::serialize(root);
}

} // namespace forecast
