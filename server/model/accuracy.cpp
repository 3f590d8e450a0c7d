#include "model/accuracy.h"

#include <cmath>

namespace forecast {

namespace {

double meanAbsDifference(std::span<const double> y, std::size_t lag) {
    double sum = 0.0;
    std::size_t n = 0;
    for (std::size_t t = lag; t < y.size(); ++t) {
        if (!std::isnan(y[t]) && !std::isnan(y[t - lag])) {
            sum += std::abs(y[t] - y[t - lag]);
            ++n;
        }
    }
    return n > 0 ? sum / static_cast<double>(n) : 0.0;
}

} // namespace

double seasonalNaiveScale(std::span<const double> train) {
    if (const double s = meanAbsDifference(train, kSeasonPeriod); s > 0.0) {
        return s;
    }
    if (const double s = meanAbsDifference(train, 1); s > 0.0) {
        return s;
    }
    double sum = 0.0;
    std::size_t n = 0;
    for (const double v : train) {
        if (!std::isnan(v)) {
            sum += std::abs(v);
            ++n;
        }
    }
    return n > 0 && sum > 0.0 ? sum / static_cast<double>(n) : 1.0;
}

std::vector<double> seasonalNaiveForecast(std::span<const double> train, int horizon) {
    std::vector<double> out(static_cast<std::size_t>(std::max(horizon, 0)), 0.0);
    const auto n = static_cast<std::ptrdiff_t>(train.size());
    for (int h = 1; h <= horizon; ++h) {
        // Day n - 1 + h falls on the weekday of n - 1 + h - 7k for the smallest k in range.
        std::ptrdiff_t t = n - kSeasonPeriod + (h - 1) % kSeasonPeriod;
        while (t >= 0 && std::isnan(train[static_cast<std::size_t>(t)])) {
            t -= kSeasonPeriod;
        }
        out[static_cast<std::size_t>(h - 1)] = t >= 0 ? train[static_cast<std::size_t>(t)] : 0.0;
    }
    return out;
}

double smapeTerm(double actual, double forecast) {
    const double denominator = std::abs(actual) + std::abs(forecast);
    return denominator > 0.0 ? 200.0 * std::abs(actual - forecast) / denominator : 0.0;
}

Accuracy scoreHoldout(std::span<const double> train, std::span<const double> actual,
                      const HoldoutForecast &model) {
    const std::vector<double> naive = seasonalNaiveForecast(train, static_cast<int>(actual.size()));
    const double scale = seasonalNaiveScale(train);
    Accuracy a;
    double absError = 0.0;
    double naiveAbsError = 0.0;
    int covered = 0;
    for (std::size_t h = 0; h < actual.size(); ++h) {
        const double y = actual[h];
        if (std::isnan(y)) {
            continue;
        }
        ++a.days;
        absError += std::abs(y - model.mean[h]);
        naiveAbsError += std::abs(y - naive[h]);
        a.smape += smapeTerm(y, model.mean[h]);
        a.naiveSmape += smapeTerm(y, naive[h]);
        covered += (y >= model.lower[h] && y <= model.upper[h]) ? 1 : 0;
    }
    if (a.days == 0) {
        return a;
    }
    const double days = a.days;
    a.mase = absError / days / scale;
    a.naiveMase = naiveAbsError / days / scale;
    a.smape /= days;
    a.naiveSmape /= days;
    a.coverage80 = covered / days;
    return a;
}

} // namespace forecast
