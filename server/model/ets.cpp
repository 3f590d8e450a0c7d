#include "model/ets.h"

#include "model/nelder_mead.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace forecast {

namespace {

double logistic(double u) {
    return 1.0 / (1.0 + std::exp(-u));
}

double logit(double fraction) {
    const double f = std::clamp(fraction, 1e-9, 1.0 - 1e-9);
    return std::log(f / (1.0 - f));
}

// Initial states come from at most this many leading days: enough for a stable weekday
// profile, short enough that the yearly cycle does not bend the slope much.
constexpr std::size_t kInitialWindow = 8 * kSeasonPeriod;

} // namespace

FilterResult runFilter(const EtsParameters &params, EtsState &state, std::span<const double> y) {
    const double alpha = params.alpha;
    const double beta = params.beta;
    const double gamma = params.gamma;
    const double phi = params.phi;
    double level = state.level;
    double trend = state.trend;
    // Ring of seasonal components; ring[j] applies to the next day.
    std::array<double, kSeasonPeriod> ring = state.season;
    int j = 0;
    double sse = 0.0;
    int n = 0;
    for (const double value : y) {
        const double damped = phi * trend;
        const double base = level + damped;
        if (!std::isnan(value)) {
            const double e = value - (base + ring[j]);
            sse += e * e;
            ++n;
            level = base + alpha * e;
            trend = damped + beta * e;
            ring[j] += gamma * e;
        } else {
            level = base;
            trend = damped;
        }
        if (++j == kSeasonPeriod) {
            j = 0;
        }
    }
    state.level = level;
    state.trend = trend;
    for (int k = 0; k < kSeasonPeriod; ++k) {
        state.season[k] = ring[(j + k) % kSeasonPeriod];
    }
    return {sse, n};
}

EtsState initialState(std::span<const double> y) {
    const std::size_t window = std::min(y.size(), kInitialWindow);
    // Per weekday position w: count, mean day index and mean value over the window.
    std::array<double, kSeasonPeriod> count{};
    std::array<double, kSeasonPeriod> sumT{};
    std::array<double, kSeasonPeriod> sumY{};
    for (std::size_t t = 0; t < window; ++t) {
        if (!std::isnan(y[t])) {
            const std::size_t w = t % kSeasonPeriod;
            count[w] += 1.0;
            sumT[w] += static_cast<double>(t);
            sumY[w] += y[t];
        }
    }
    // Pooled within-weekday slope: the least-squares slope of y ~ t + weekday dummies.
    double sxy = 0.0;
    double sxx = 0.0;
    for (std::size_t t = 0; t < window; ++t) {
        if (!std::isnan(y[t])) {
            const std::size_t w = t % kSeasonPeriod;
            const double dt = static_cast<double>(t) - sumT[w] / count[w];
            sxy += dt * (y[t] - sumY[w] / count[w]);
            sxx += dt * dt;
        }
    }
    const double slope = sxx > 0.0 ? sxy / sxx : 0.0;
    // Weekday intercepts, then level = their mean and season = deviations (sum zero).
    std::array<double, kSeasonPeriod> intercept{};
    double interceptSum = 0.0;
    int present = 0;
    for (int w = 0; w < kSeasonPeriod; ++w) {
        if (count[w] > 0.0) {
            intercept[w] = sumY[w] / count[w] - slope * sumT[w] / count[w];
            interceptSum += intercept[w];
            ++present;
        }
    }
    EtsState state;
    if (present == 0) {
        return state;
    }
    const double a = interceptSum / present;
    // The fitted line a + slope * t describes day t; the state sits one day before day 0.
    state.level = a - slope;
    state.trend = slope;
    for (int w = 0; w < kSeasonPeriod; ++w) {
        state.season[w] = count[w] > 0.0 ? intercept[w] - a : 0.0;
    }
    return state;
}

EtsParameters paramsFromSearch(std::span<const double> u) {
    EtsParameters p;
    p.alpha = kParamLower + (kParamUpper - kParamLower) * logistic(u[0]);
    p.beta = kParamLower + (p.alpha - kParamLower) * logistic(u[1]);
    p.gamma = kParamLower + (1.0 - p.alpha - kParamLower) * logistic(u[2]);
    p.phi = kPhiLower + (kPhiUpper - kPhiLower) * logistic(u[3]);
    return p;
}

void searchFromParams(const EtsParameters &p, std::span<double> u) {
    const double alpha = std::clamp(p.alpha, kParamLower, kParamUpper);
    u[0] = logit((alpha - kParamLower) / (kParamUpper - kParamLower));
    u[1] = logit((p.beta - kParamLower) / std::max(alpha - kParamLower, 1e-12));
    u[2] = logit((p.gamma - kParamLower) / std::max(1.0 - alpha - kParamLower, 1e-12));
    u[3] = logit((p.phi - kPhiLower) / (kPhiUpper - kPhiLower));
}

rf::Result<EtsFit> fitEts(std::span<const double> y, const EtsFitOptions &options) {
    const auto observed =
        std::count_if(y.begin(), y.end(), [](double v) { return !std::isnan(v); });
    if (observed < kMinFitDays) {
        return rf::fail("only " + std::to_string(observed) + " days with data; at least " +
                        std::to_string(kMinFitDays) + " are needed");
    }
    EtsFit fit;
    fit.initial = initialState(y);

    // -2 log-likelihood up to a constant, with sigma^2 concentrated out: n log(SSE / n).
    auto objective = [&](std::span<const double> u) {
        const EtsParameters p = paramsFromSearch(u);
        EtsState state = fit.initial;
        const FilterResult r = runFilter(p, state, y);
        if (!(r.sse > 0.0) || !std::isfinite(r.sse)) {
            return r.sse == 0.0 ? -1e300 : HUGE_VAL;
        }
        return r.observations * std::log(r.sse / r.observations);
    };

    EtsParameters start{0.1, 0.01, 0.05, 0.95};
    if (options.start != nullptr) {
        start = *options.start;
    }
    std::array<double, 4> u0{};
    searchFromParams(start, u0);
    NelderMeadOptions nm;
    nm.maxEvaluations = options.maxEvaluations;
    nm.functionTolerance = options.tolerance;
    nm.pointTolerance = 1e-3; // in logit units: far below any effect on the forecasts
    nm.initialStep = options.start != nullptr ? 0.5 : 1.0;
    const NelderMeadResult best = minimizeNelderMead(objective, u0, nm);

    fit.params = paramsFromSearch(best.point);
    fit.evaluations = best.evaluations;
    fit.state = fit.initial;
    const FilterResult r = runFilter(fit.params, fit.state, y);
    fit.observations = r.observations;
    // Residual degrees of freedom: 4 smoothing parameters and 8 initial-state values.
    const int dof = std::max(1, r.observations - 12);
    fit.sigma = std::sqrt(r.sse / dof);
    const double mleVariance = r.sse / r.observations;
    fit.logLikelihood =
        mleVariance > 0.0
            ? -0.5 * r.observations * (std::log(2.0 * std::numbers::pi * mleVariance) + 1.0)
            : 0.0;
    return fit;
}

} // namespace forecast
