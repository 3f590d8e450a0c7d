#include "model/synthesizer.h"

#include "model/random.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>

namespace forecast {

namespace {

using namespace std::chrono;

constexpr double kYear = 365.25;

// Typical retail week, Monday first: quiet early week, busy Friday-Saturday.
constexpr std::array<double, 7> kWeekProfile{0.86, 0.84, 0.88, 0.95, 1.08, 1.25, 1.14};

struct StoreTraits {
    double scale = 1.0;      // store size
    double growth = 0.0;     // log-growth per year before the break
    double growthLate = 0.0; // log-growth per year after the break
    int breakDay = 0;
    std::vector<std::pair<int, double>> shifts; // (day, log step): remodels, competitors
};

struct ItemTraits {
    double base = 0.0;        // mean daily units in an average store
    double weekAmp = 0.0;     // how strongly the item follows the weekly profile
    double yearAmp = 0.0;     // yearly cycle amplitude
    double yearPeak = 0.0;    // day of year of the peak
    double yearAmp2 = 0.0;    // second harmonic
    double holidayGain = 0.0; // sensitivity to holiday effects (exponent)
    double growth = 0.0;      // item's own log-growth per year
};

StoreTraits makeStore(Random &rng, int days) {
    StoreTraits s;
    s.scale = std::exp(0.25 * rng.normal());
    s.growth = rng.uniform(-0.03, 0.12);
    s.growthLate = s.growth + 0.06 * rng.normal();
    s.breakDay = static_cast<int>(rng.below(static_cast<std::uint64_t>(std::max(days, 1))));
    const int shifts = static_cast<int>(rng.poisson(1.5 * days / (5 * kYear)));
    for (int k = 0; k < shifts; ++k) {
        s.shifts.emplace_back(static_cast<int>(rng.below(static_cast<std::uint64_t>(days))),
                              0.08 * rng.normal());
    }
    return s;
}

ItemTraits makeItem(Random &rng) {
    ItemTraits t;
    t.base = std::clamp(std::exp(std::log(25.0) + 0.7 * rng.normal()), 3.0, 250.0);
    t.weekAmp = rng.uniform(0.5, 1.5);
    t.yearAmp = rng.uniform(0.05, 0.30);
    const bool winterItem = rng.uniform() < 0.3;
    t.yearPeak = winterItem ? rng.uniform(330.0, 385.0) : rng.uniform(160.0, 200.0);
    t.yearAmp2 = t.yearAmp * rng.uniform(0.0, 0.3);
    t.holidayGain = rng.uniform(0.5, 1.5);
    t.growth = 0.03 * rng.normal();
    return t;
}

Date nthWeekday(year y, month m, weekday wd, unsigned n) {
    return sys_days{y / m / wd[n]};
}

Date lastWeekday(year y, month m, weekday wd) {
    return sys_days{y / m / wd[last]};
}

} // namespace

double holidayEffect(Date date) {
    const year_month_day ymd{date};
    const year y = ymd.year();
    const auto m = static_cast<unsigned>(ymd.month());
    const auto d = static_cast<unsigned>(ymd.day());
    if (m == 1 && d == 1) {
        return 0.7; // New Year's Day: many shoppers stay home
    }
    if (date == lastWeekday(y, May, Monday)) {
        return 1.15; // Memorial Day
    }
    if (m == 7 && d == 4) {
        return 1.2;
    }
    if (date == nthWeekday(y, September, Monday, 1)) {
        return 1.1; // Labor Day
    }
    const Date thanksgiving = nthWeekday(y, November, Thursday, 4);
    if (date == thanksgiving) {
        return 0.7;
    }
    if (date == thanksgiving + days{1}) {
        return 1.4; // Black Friday
    }
    if (m == 12) {
        if (d >= 17 && d <= 23) {
            return 1.1; // last shopping week before Christmas
        }
        if (d == 24) {
            return 1.2;
        }
        if (d == 25) {
            return 0.6;
        }
        if (d == 26 || d == 31) {
            return 1.1;
        }
    }
    return 1.0;
}

SalesData synthesize(const SynthesizeOptions &options) {
    SalesData data;
    const int days = std::max(options.days, 0);
    data.start = options.start;
    data.end = options.start + std::chrono::days{std::max(days - 1, 0)};
    std::vector<ItemTraits> items;
    for (int i = 0; i < options.items; ++i) {
        Random rng = Random::derive(options.seed, 2, static_cast<std::uint64_t>(i));
        items.push_back(makeItem(rng));
    }
    // Calendar terms shared by every series, computed once.
    std::vector<double> holiday(static_cast<std::size_t>(days));
    std::vector<double> dayOfYear(static_cast<std::size_t>(days));
    std::vector<int> weekdayIndex(static_cast<std::size_t>(days));
    for (int t = 0; t < days; ++t) {
        const Date date = options.start + std::chrono::days{t};
        holiday[t] = holidayEffect(date);
        const year_month_day ymd{date};
        dayOfYear[t] = static_cast<double>((date - sys_days{ymd.year() / January / 1}).count());
        weekdayIndex[t] = static_cast<int>(weekday{date}.iso_encoding()) - 1; // Monday = 0
    }

    for (int s = 0; s < options.stores; ++s) {
        Random storeRng = Random::derive(options.seed, 1, static_cast<std::uint64_t>(s));
        const StoreTraits store = makeStore(storeRng, std::max(days, 1));
        for (int i = 0; i < options.items; ++i) {
            const ItemTraits &item = items[static_cast<std::size_t>(i)];
            Random rng = Random::derive(options.seed, 3,
                                        static_cast<std::uint64_t>(s) * 1000003u +
                                            static_cast<std::uint64_t>(i));
            std::array<double, 7> week{};
            for (int w = 0; w < 7; ++w) {
                week[w] = std::max(0.2, 1.0 + item.weekAmp * (kWeekProfile[w] - 1.0) +
                                            0.02 * rng.normal());
            }
            const double driftSd = rng.uniform(0.002, 0.006);
            const double noiseSd = rng.uniform(0.03, 0.10);
            const double promoUplift = rng.uniform(0.15, 0.5);

            SalesSeries series{std::to_string(s + 1), std::to_string(i + 1), options.start, {}};
            series.values.reserve(static_cast<std::size_t>(days));
            double drift = 0.0;
            double shift = 0.0;
            int promoLeft = 0;
            int dipLeft = 0;
            for (int t = 0; t < days; ++t) {
                const double years = t / kYear;
                const double lateYears = std::max(0, t - store.breakDay) / kYear;
                double logTrend = (store.growth + item.growth) * years +
                                  (store.growthLate - store.growth) * lateYears;
                for (const auto &[day, step] : store.shifts) {
                    if (day == t) {
                        shift += step;
                    }
                }
                // Slowly mean-reverting drift: local level changes ETS is built to follow.
                drift = 0.998 * drift + driftSd * rng.normal();
                const double phase =
                    2.0 * std::numbers::pi * (dayOfYear[t] - item.yearPeak) / kYear;
                const double yearly =
                    1.0 + item.yearAmp * std::cos(phase) + item.yearAmp2 * std::cos(2.0 * phase);

                double promo = 1.0;
                if (promoLeft > 0) {
                    promo = 1.0 + promoUplift;
                    if (--promoLeft == 0) {
                        dipLeft = 3;
                    }
                } else if (dipLeft > 0) {
                    promo = 0.92; // customers stocked up during the promotion
                    --dipLeft;
                } else if (rng.uniform() < 1.0 / 60.0) {
                    promoLeft = 3 + static_cast<int>(rng.below(5));
                    promo = 1.0 + promoUplift;
                    --promoLeft;
                }
                const double mean = store.scale * item.base * std::exp(logTrend + drift + shift) *
                                    week[weekdayIndex[t]] * yearly *
                                    std::pow(holiday[t], item.holidayGain) * promo;
                const double noisy =
                    mean * std::exp(noiseSd * rng.normal() - 0.5 * noiseSd * noiseSd);
                series.values.push_back(static_cast<double>(rng.poisson(noisy)));
            }
            data.rows += series.values.size();
            data.series.push_back(std::move(series));
        }
    }
    return data;
}

std::string formatSalesCsv(const SalesData &data) {
    std::string out = "date,store,item,sales\n";
    out.reserve(data.rows * 24 + out.size());
    char number[32];
    for (const SalesSeries &s : data.series) {
        Date date = s.firstDate;
        for (const double v : s.values) {
            out += formatDate(date);
            out += ',';
            out += s.store;
            out += ',';
            out += s.item;
            out += ',';
            if (!std::isnan(v)) {
                const auto [end, ec] = std::to_chars(number, number + sizeof number, v);
                out.append(number, end);
            }
            out += '\n';
            date += std::chrono::days{1};
        }
    }
    return out;
}

} // namespace forecast
