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

// The initial level and slope come from at most this many leading days: enough to average
// out noise, short enough that the yearly cycle does not bend the slope much.
constexpr std::size_t kInitialWindow = 8 * std::size_t{kSeasonPeriod};
// The weekday profile comes from up to a year: the moving average removes slow movements, so
// more weeks only make the profile more precise.
constexpr std::size_t kProfileWindow = 52 * std::size_t{kSeasonPeriod};

// Classical decomposition: the average of y - (centred 7-day moving average) per weekday
// position, centred to sum zero. False when some position has no complete window.
bool weekdayProfile(std::span<const double> y, std::array<double, kSeasonPeriod> &profile) {
    const std::size_t window = std::min(y.size(), kProfileWindow);
    constexpr std::size_t half = kSeasonPeriod / 2;
    std::array<double, kSeasonPeriod> sum{};
    std::array<int, kSeasonPeriod> count{};
    for (std::size_t t = half; t + half < window; ++t) {
        double ma = 0.0;
        for (std::size_t k = t - half; k <= t + half; ++k) {
            ma += y[k];
        }
        if (std::isnan(ma)) { // a missing day inside the window
            continue;
        }
        sum[t % kSeasonPeriod] += y[t] - ma / kSeasonPeriod;
        ++count[t % kSeasonPeriod];
    }
    double mean = 0.0;
    for (int w = 0; w < kSeasonPeriod; ++w) {
        if (count[w] == 0) {
            return false;
        }
        profile[w] = sum[w] / count[w];
        mean += profile[w] / kSeasonPeriod;
    }
    for (double &p : profile) {
        p -= mean;
    }
    return true;
}

} // namespace

FilterResult runFilter(const EtsParameters &params, EtsState &state, std::span<const double> y) {
    // The recursions are rewritten around the one-step level forecast f_t = l_{t-1} + phi b_{t-1}:
    //   e_t = y_t - s_{t-m} - f_t,  f_{t+1} = f_t + phi^2 b_{t-1} + (alpha + phi beta) e_t,
    //   b_t = phi b_{t-1} + beta e_t,  l_t = f_t + alpha e_t,  s_t = s_{t-m} + gamma e_t.
    // Algebraically the textbook form, but the loop-carried chain through f is two
    // operations instead of five, which roughly halves the time per day of the fit.
    const double alpha = params.alpha;
    const double beta = params.beta;
    const double gamma = params.gamma;
    const double phi = params.phi;
    const double phi2 = phi * phi;
    const double gain = alpha + phi * beta;
    double f = state.level + phi * state.trend;
    double level = state.level;
    double trend = state.trend;
    // Ring of seasonal components; ring[j] applies to the next day.
    std::array<double, kSeasonPeriod> ring = state.season;
    int j = 0;
    double sse = 0.0;
    int n = 0;
    for (const double value : y) {
        if (!std::isnan(value)) {
            const double e = (value - ring[j]) - f;
            sse += e * e;
            ++n;
            level = f + alpha * e;
            f = (f + phi2 * trend) + gain * e;
            trend = phi * trend + beta * e;
            ring[j] += gamma * e;
        } else {
            level = f;
            f += phi2 * trend;
            trend *= phi;
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
    // With enough data, a year-long profile replaces the short-window one (far less noisy),
    // and the line is refitted to the first weeks with that profile removed.
    std::array<double, kSeasonPeriod> profile{};
    if (!weekdayProfile(y, profile)) {
        return state;
    }
    double n = 0.0;
    double st = 0.0;
    double sy = 0.0;
    double stt = 0.0;
    double sty = 0.0;
    for (std::size_t t = 0; t < window; ++t) {
        if (!std::isnan(y[t])) {
            const double x = static_cast<double>(t);
            const double v = y[t] - profile[t % kSeasonPeriod];
            n += 1.0;
            st += x;
            sy += v;
            stt += x * x;
            sty += x * v;
        }
    }
    const double denominator = n * stt - st * st;
    const double lineSlope = denominator > 0.0 ? (n * sty - st * sy) / denominator : 0.0;
    const double intercept0 = (sy - lineSlope * st) / n;
    state.level = intercept0 - lineSlope;
    state.trend = lineSlope;
    state.season = profile;
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
    nm.pointTolerance = options.pointTolerance;
    nm.restarts = options.restarts;
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
