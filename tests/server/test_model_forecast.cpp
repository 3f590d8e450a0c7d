// Forecast arithmetic: means and variances against hand-computed values and R's forecast
// package, the served quantiles, normalQuantile, dates and lookup.
#include "model/forecast_model.h"
#include "model/random.h"

#include <gtest/gtest.h>

#include <cmath>

namespace forecast {
namespace {

SeriesModel sampleSeries() {
    SeriesModel s;
    s.store = "1";
    s.item = "A";
    s.params = {0.5, 0.1, 0.2, 0.9};
    s.state.level = 100.0;
    s.state.trend = 2.0;
    s.state.season = {1.0, -2.0, 3.0, -4.0, 5.0, -6.0, 3.0};
    s.sigma = 4.0;
    s.firstDate = Date{std::chrono::year{2024} / 1 / 1};
    s.lastDate = Date{std::chrono::year{2024} / 12 / 31};
    return s;
}

TEST(ForecastMean, MatchesHandComputedDampedTrendAndSeason) {
    const SeriesModel s = sampleSeries();
    // h = 1: 100 + 0.9 * 2 + 1 = 102.8
    EXPECT_NEAR(forecastMean(s.params, s.state, 1), 102.8, 1e-12);
    // h = 2: 100 + (0.9 + 0.81) * 2 - 2 = 101.42
    EXPECT_NEAR(forecastMean(s.params, s.state, 2), 101.42, 1e-12);
    // h = 8: season wraps to season[0]; phi_8 = sum 0.9^i, i = 1..8 = 5.1257583
    const double phi8 = 0.9 * (1 - std::pow(0.9, 8)) / (1 - 0.9);
    EXPECT_NEAR(forecastMean(s.params, s.state, 8), 100.0 + phi8 * 2.0 + 1.0, 1e-12);
}

TEST(ForecastVariance, MatchesHandComputedClassOneFormula) {
    const EtsParameters p{0.5, 0.1, 0.2, 0.9};
    const double sigma = 4.0;
    // v_1 = sigma^2
    EXPECT_NEAR(forecastVariance(p, sigma, 1), 16.0, 1e-12);
    // v_2 = sigma^2 (1 + c_1^2), c_1 = 0.5 + 0.1 * 0.9 = 0.59
    EXPECT_NEAR(forecastVariance(p, sigma, 2), 16.0 * (1 + 0.59 * 0.59), 1e-12);
    // v_3 adds c_2 = 0.5 + 0.1 * (0.9 + 0.81) = 0.671
    EXPECT_NEAR(forecastVariance(p, sigma, 3), 16.0 * (1 + 0.59 * 0.59 + 0.671 * 0.671), 1e-12);
    // c_7 carries gamma: 0.5 + 0.1 * phi_7 + 0.2
    double sum = 1.0;
    for (int j = 1; j <= 7; ++j) {
        const double phij = 0.9 * (1 - std::pow(0.9, j)) / (1 - 0.9);
        const double c = 0.5 + 0.1 * phij + (j == 7 ? 0.2 : 0.0);
        sum += c * c;
    }
    EXPECT_NEAR(forecastVariance(p, sigma, 8), 16.0 * sum, 1e-10);
}

// Simulating the state space model and measuring the spread of y_{n+h} checks the formula
// independently of its derivation.
TEST(ForecastVariance, AgreesWithSimulationOfTheModel) {
    const EtsParameters p{0.3, 0.05, 0.15, 0.92};
    const double sigma = 1.0;
    constexpr int kPaths = 40000;
    constexpr int kHorizon = 15;
    std::array<double, kHorizon> sum{};
    std::array<double, kHorizon> sumSq{};
    Random rng(7);
    for (int path = 0; path < kPaths; ++path) {
        double level = 0.0;
        double trend = 0.0;
        std::array<double, kSeasonPeriod> season{};
        for (int h = 0; h < kHorizon; ++h) {
            const double e = sigma * rng.normal();
            const double y = level + p.phi * trend + season[h % kSeasonPeriod] + e;
            level = level + p.phi * trend + p.alpha * e;
            trend = p.phi * trend + p.beta * e;
            season[h % kSeasonPeriod] += p.gamma * e;
            sum[h] += y;
            sumSq[h] += y * y;
        }
    }
    for (int h : {1, 2, 7, 8, 14, 15}) {
        const double mean = sum[h - 1] / kPaths;
        const double variance = sumSq[h - 1] / kPaths - mean * mean;
        const double expected = forecastVariance(p, sigma, h);
        EXPECT_NEAR(variance / expected, 1.0, 0.03) << "h = " << h;
    }
}

// Golden values from R 4.2.2, forecast 8.20: ets(model = "AAA", damped = TRUE) fitted to a
// synthetic series; its parameters and final states, and forecast(fit, h = 15,
// level = c(80, 95)). R's states list s1 = newest season, so season[k] = s(7 - k).
TEST(ModelForecast, ReproducesRForecastPackage) {
    SeriesModel s;
    s.params = {0.06692953931042128, 0.00010000121052121994, 0.00011419276227281156,
                0.97761130021527009};
    s.sigma = 7.5172516518056334;
    s.state.level = 29.204648435431746;
    s.state.trend = -0.004073273984825156;
    s.state.season = {-5.1008236052003095,  -4.2757044251185414, -3.5807332058493402,
                      -0.62332998614747970, 1.5205431987255997,  6.9750349408822681,
                      5.0834504451736926};
    s.lastDate = Date{std::chrono::year{2022} / 5 / 15};
    const std::array<double, 15> mean{24.099842751555002, 24.921069006524334, 25.612234458212729,
                                      28.565917116521604, 30.706153038533753, 36.157088951415723,
                                      34.262028236826566, 24.074355795592886, 24.896152670367684,
                                      25.587875966426026, 28.542103979694723, 30.682873046878221,
                                      36.134330168504356, 34.239778993473266, 24.052604683869461};
    const std::array<double, 15> upper80{
        33.733588374519250, 34.576430945784487, 35.289225909712648, 38.264549898979752,
        40.426437630722191, 45.899034528645473, 44.025642706649052, 33.859719076667602,
        34.703196832881076, 35.416605321854988, 38.392521706932143, 40.554981224170270,
        46.028129804667735, 44.155270058403659, 33.989858845313762};
    const std::array<double, 15> upper95{
        38.833385251818271, 39.687670809711868, 40.411915745779105, 43.398695963636911,
        45.572045471096907, 51.056109001853997, 49.194187998696265, 39.039777493936299,
        39.894732415500130, 40.619620352182395, 43.607017867772157, 45.780959615679954,
        51.265590960882392, 49.404213963387036, 39.250323437679342};
    const Model model;
    const std::array<double, 2> q{0.9, 0.975};
    const auto days = model.forecast(s, 15, q);
    ASSERT_EQ(days.size(), 15u);
    for (std::size_t h = 0; h < 15; ++h) {
        EXPECT_NEAR(days[h].mean, mean[h], 1e-9) << "h = " << h + 1;
        EXPECT_NEAR(days[h].quantiles[0], upper80[h], 1e-8) << "h = " << h + 1;
        EXPECT_NEAR(days[h].quantiles[1], upper95[h], 1e-8) << "h = " << h + 1;
    }
}

TEST(ModelForecast, QuantilesFollowTheVarianceFormula) {
    const SeriesModel s = sampleSeries();
    const Model model;
    const std::array<double, 3> q{0.1, 0.5, 0.9};
    const auto days = model.forecast(s, 30, q);
    ASSERT_EQ(days.size(), 30u);
    for (int h = 1; h <= 30; ++h) {
        const ForecastDay &d = days[static_cast<std::size_t>(h - 1)];
        const double sd = std::sqrt(forecastVariance(s.params, s.sigma, h));
        const double mean = forecastMean(s.params, s.state, h);
        EXPECT_NEAR(d.mean, mean, 1e-9);
        EXPECT_NEAR(d.quantiles[1], mean, 1e-9);
        EXPECT_NEAR(d.quantiles[2] - d.quantiles[0], 2 * 1.2815515655446004 * sd, 1e-9);
        EXPECT_NEAR(d.quantiles[2] - d.mean, d.mean - d.quantiles[0], 1e-9);
    }
}

TEST(ModelForecast, DatesStartTheDayAfterTheLastTrainingDay) {
    const SeriesModel s = sampleSeries();
    const auto days = Model{}.forecast(s, 3, {});
    ASSERT_EQ(days.size(), 3u);
    EXPECT_EQ(formatDate(days[0].date), "2025-01-01");
    EXPECT_EQ(formatDate(days[2].date), "2025-01-03");
    EXPECT_TRUE(days[0].quantiles.empty());
}

TEST(ModelForecast, ClampsMeanAndQuantilesAtZero) {
    SeriesModel s = sampleSeries();
    s.state.level = 1.0;
    s.state.trend = -1.0;
    s.sigma = 10.0;
    const std::array<double, 2> q{0.05, 0.95};
    for (const ForecastDay &d : Model{}.forecast(s, 20, q)) {
        EXPECT_GE(d.mean, 0.0);
        EXPECT_EQ(d.quantiles[0], 0.0);
        EXPECT_GE(d.quantiles[1], d.mean);
    }
}

TEST(ModelForecast, NonPositiveHorizonGivesNothing) {
    EXPECT_TRUE(Model{}.forecast(sampleSeries(), 0, {}).empty());
}

TEST(ModelFind, LooksUpByStoreAndItem) {
    Model model;
    SeriesModel a = sampleSeries();
    SeriesModel b = sampleSeries();
    b.item = "B";
    SeriesModel c = sampleSeries();
    c.store = "1\x1f"
              "A"; // a separator in a name must not alias another pair
    c.item = "";
    model.setSeries({a, b, c});
    ASSERT_NE(model.find("1", "B"), nullptr);
    EXPECT_EQ(model.find("1", "B")->item, "B");
    EXPECT_EQ(model.find("1", "A")->item, "A");
    EXPECT_EQ(model.find("2", "A"), nullptr);
    EXPECT_EQ(model.find("1", "a"), nullptr);
}

struct QuantileCase {
    double p;
    double z;
};

class NormalQuantile : public testing::TestWithParam<QuantileCase> {};

TEST_P(NormalQuantile, MatchesReferenceValues) {
    const QuantileCase c = GetParam();
    EXPECT_NEAR(normalQuantile(c.p), c.z, 1e-12 * std::max(1.0, std::abs(c.z))) << "p = " << c.p;
}

// Reference values: R qnorm (15+ significant digits).
INSTANTIATE_TEST_SUITE_P(
    KnownValues, NormalQuantile,
    testing::Values(QuantileCase{0.5, 0.0}, QuantileCase{0.9, 1.2815515655446004},
                    QuantileCase{0.1, -1.2815515655446004}, QuantileCase{0.8, 0.8416212335729143},
                    QuantileCase{0.975, 1.959963984540054}, QuantileCase{0.025, -1.959963984540054},
                    QuantileCase{0.99, 2.3263478740408408}, QuantileCase{0.01, -2.3263478740408408},
                    QuantileCase{0.02425, -1.9729610513118845}, // branch boundary
                    QuantileCase{0.999, 3.090232306167813}, QuantileCase{1e-10, -6.361340902404056},
                    QuantileCase{0.6, 0.2533471031357997}));

TEST(NormalQuantileProperties, InvertsTheNormalCdfAcrossTheRange) {
    for (double p = 1e-6; p < 1.0; p += 0.0137) {
        const double z = normalQuantile(p);
        EXPECT_NEAR(0.5 * std::erfc(-z / std::sqrt(2.0)), p, 1e-15 + 1e-13 * p) << "p = " << p;
        EXPECT_NEAR(normalQuantile(1.0 - p), -z, 1e-9) << "p = " << p;
    }
}

TEST(NormalQuantileProperties, EdgesAreInfiniteOrNan) {
    EXPECT_EQ(normalQuantile(0.0), -HUGE_VAL);
    EXPECT_EQ(normalQuantile(1.0), HUGE_VAL);
    EXPECT_TRUE(std::isnan(normalQuantile(-0.1)));
    EXPECT_TRUE(std::isnan(normalQuantile(1.5)));
    EXPECT_TRUE(std::isnan(normalQuantile(std::nan(""))));
}

TEST(Dates, ParseAndFormatRoundTrip) {
    for (const char *text : {"2021-01-01", "2024-02-29", "1999-12-31", "2100-03-01"}) {
        auto d = parseDate(text);
        ASSERT_TRUE(d.ok()) << text;
        EXPECT_EQ(formatDate(*d), text);
    }
    EXPECT_EQ((*parseDate("2021-03-01") - *parseDate("2021-02-28")).count(), 1);
}

TEST(Dates, RejectsMalformedDates) {
    for (const char *text : {"2021-1-01", "2021-02-30", "2023-02-29", "21-01-01", "2021/01/01",
                             "2021-13-01", "2021-01-00", "", "2021-01-01T00", "+021-01-01"}) {
        auto d = parseDate(text);
        EXPECT_FALSE(d.ok()) << text;
        if (!d.ok()) {
            EXPECT_NE(d.message().find("YYYY-MM-DD"), std::string::npos);
        }
    }
}

} // namespace
} // namespace forecast
