#include "model/forecast_model.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace forecast {

namespace {

std::string seriesKey(std::string_view store, std::string_view item) {
    std::string key;
    key.reserve(store.size() + item.size() + 1);
    key.append(store);
    key.push_back('\x1f'); // unit separator: cannot collide with CSV text a user would type
    key.append(item);
    return key;
}

} // namespace

void Model::setSeries(std::vector<SeriesModel> series) {
    m_series = std::move(series);
    m_index.clear();
    m_index.reserve(m_series.size());
    for (std::size_t i = 0; i < m_series.size(); ++i) {
        m_index.emplace(seriesKey(m_series[i].store, m_series[i].item), i);
    }
}

const SeriesModel *Model::find(std::string_view store, std::string_view item) const {
    const auto it = m_index.find(seriesKey(store, item));
    return it == m_index.end() ? nullptr : &m_series[it->second];
}

double forecastMean(const EtsParameters &params, const EtsState &state, int h) {
    // phi_h = phi + phi^2 + ... + phi^h: the damped trend's cumulative contribution.
    double phiPower = 1.0;
    double phiSum = 0.0;
    for (int i = 0; i < h; ++i) {
        phiPower *= params.phi;
        phiSum += phiPower;
    }
    return state.level + phiSum * state.trend + state.season[(h - 1) % kSeasonPeriod];
}

double forecastVariance(const EtsParameters &params, double sigma, int h) {
    // Class-1 state space model (Hyndman et al. 2008, ch. 6): v_h = sigma^2 (1 + sum c_j^2),
    // c_j = alpha + beta * phi_j + gamma * [j mod m == 0], j = 1..h-1.
    double sum = 1.0;
    double phiPower = 1.0;
    double phiSum = 0.0;
    for (int j = 1; j < h; ++j) {
        phiPower *= params.phi;
        phiSum += phiPower;
        const double c =
            params.alpha + params.beta * phiSum + (j % kSeasonPeriod == 0 ? params.gamma : 0.0);
        sum += c * c;
    }
    return sigma * sigma * sum;
}

std::vector<ForecastDay> Model::forecast(const SeriesModel &series, int horizon,
                                         std::span<const double> quantiles) const {
    ForecastTable table;
    forecastInto(series, horizon, quantiles, table);
    std::vector<ForecastDay> days(table.days());
    for (std::size_t d = 0; d < days.size(); ++d) {
        days[d].date = table.dates[d];
        days[d].mean = table.means[d];
        const auto row =
            table.quantiles.begin() + static_cast<std::ptrdiff_t>(d * table.quantileCount);
        days[d].quantiles.assign(row, row + static_cast<std::ptrdiff_t>(table.quantileCount));
    }
    return days;
}

void Model::forecastInto(const SeriesModel &series, int horizon, std::span<const double> quantiles,
                         ForecastTable &out) const {
    out.dates.clear();
    out.means.clear();
    out.quantiles.clear();
    out.quantileCount = quantiles.size();
    if (horizon < 1) {
        return;
    }
    const auto days = static_cast<std::size_t>(horizon);
    out.dates.reserve(days);
    out.means.reserve(days);
    out.quantiles.reserve(days * quantiles.size());
    // The z-scores are computed once per call; the few requested quantiles fit on the stack
    // in every realistic request, so the fallback vector rarely allocates.
    constexpr std::size_t kInlineQuantiles = 32;
    std::array<double, kInlineQuantiles> zInline{};
    std::vector<double> zHeap;
    std::span<double> z;
    if (quantiles.size() <= kInlineQuantiles) {
        z = std::span<double>(zInline.data(), quantiles.size());
    } else {
        zHeap.resize(quantiles.size());
        z = zHeap;
    }
    std::transform(quantiles.begin(), quantiles.end(), z.begin(), normalQuantile);

    const EtsParameters &p = series.params;
    const EtsState &s = series.state;
    const double sigma2 = series.sigma * series.sigma;
    // Mean and variance are accumulated incrementally: O(horizon) instead of O(horizon^2).
    double phiPower = 1.0;
    double phiSum = 0.0;      // phi_h for the mean
    double varianceSum = 1.0; // 1 + sum_{j<h} c_j^2
    for (int h = 1; h <= horizon; ++h) {
        if (h > 1) {
            const int j = h - 1; // c_j uses phi_j, which is phiSum before this step's update
            const double c = p.alpha + p.beta * phiSum + (j % kSeasonPeriod == 0 ? p.gamma : 0.0);
            varianceSum += c * c;
        }
        phiPower *= p.phi;
        phiSum += phiPower;
        const double mean = s.level + phiSum * s.trend + s.season[(h - 1) % kSeasonPeriod];
        const double sd = std::sqrt(sigma2 * varianceSum);

        out.dates.push_back(series.lastDate + std::chrono::days{h});
        out.means.push_back(std::max(0.0, mean));
        for (double zq : z) {
            out.quantiles.push_back(std::max(0.0, mean + zq * sd));
        }
    }
}

double normalQuantile(double p) {
    if (!(p > 0.0 && p < 1.0)) {
        if (p == 0.0) {
            return -HUGE_VAL;
        }
        if (p == 1.0) {
            return HUGE_VAL;
        }
        return std::nan("");
    }
    // Acklam's rational approximation (relative error < 1.15e-9) ...
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                   -2.759285104469687e+02, 1.383577518672690e+02,
                                   -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                   -1.556989798598866e+02, 6.680131188771972e+01,
                                   -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                   -2.400758277161838e+00, -2.549732539343734e+00,
                                   4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                   2.445134137142996e+00, 3.754408661907416e+00};
    constexpr double pLow = 0.02425;
    double x = 0.0;
    if (p < pLow) {
        const double q = std::sqrt(-2.0 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    } else if (p <= 1.0 - pLow) {
        const double q = p - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    } else {
        const double q = std::sqrt(-2.0 * std::log1p(-p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    // ... refined by one Halley step on Phi(x) - p, which brings it to near machine precision.
    // In the upper tail the residual is taken on the complement so it does not cancel.
    // Phi(x) - p; for x > 0 written as (1 - p) - Phi(-x), where 1 - p is exact for p >= 0.5.
    const double e = x > 0.0 ? (1.0 - p) - 0.5 * std::erfc(x / std::numbers::sqrt2)
                             : 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
    const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
    return x - u / (1.0 + 0.5 * x * u);
}

rf::Result<Date> parseDate(std::string_view text) {
    auto bad = [&] {
        return rf::fail("'" + std::string(text) + "' is not a date of the form YYYY-MM-DD");
    };
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return bad();
    }
    auto number = [&](std::size_t pos, std::size_t len, int &out) {
        const char *first = text.data() + pos;
        const char *last = first + len;
        if (!std::all_of(first, last, [](char ch) { return ch >= '0' && ch <= '9'; })) {
            return false;
        }
        return std::from_chars(first, last, out).ec == std::errc{};
    };
    int y = 0;
    int m = 0;
    int d = 0;
    if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) {
        return bad();
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) {
        return bad();
    }
    return Date{ymd};
}

std::string formatDate(Date date) {
    const std::chrono::year_month_day ymd{date};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

} // namespace forecast
