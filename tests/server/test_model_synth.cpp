// The synthetic data set: deterministic per seed, and shaped like retail sales.
#include "model/random.h"
#include "model/synthesizer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace forecast {
namespace {

SynthesizeOptions smallOptions(std::uint64_t seed) {
    SynthesizeOptions o;
    o.stores = 2;
    o.items = 3;
    o.days = 400;
    o.seed = seed;
    return o;
}

TEST(Synthesize, SameSeedGivesTheSameBytes) {
    EXPECT_EQ(formatSalesCsv(synthesize(smallOptions(42))),
              formatSalesCsv(synthesize(smallOptions(42))));
}

// Pins the generator: a published seed must keep producing the published data set. A
// deliberate change to the generator updates this value (and says so in its commit).
TEST(Synthesize, SeedFortyTwoIsStable) {
    const std::string csv = formatSalesCsv(synthesize(smallOptions(42)));
    std::uint64_t h = 0xcbf29ce484222325ULL; // FNV-1a
    for (const unsigned char c : csv) {
        h = (h ^ c) * 0x100000001b3ULL;
    }
    EXPECT_EQ(csv.size(), 42864u);
    EXPECT_EQ(h, 0x1f39dc41f2275ca6ULL);
}

TEST(Synthesize, DifferentSeedGivesDifferentData) {
    EXPECT_NE(formatSalesCsv(synthesize(smallOptions(42))),
              formatSalesCsv(synthesize(smallOptions(43))));
}

TEST(Synthesize, MoreItemsDoNotChangeTheExistingSeries) {
    // Each series has its own random stream, so a bigger data set extends a smaller one.
    SynthesizeOptions more = smallOptions(42);
    more.items = 5;
    const SalesData small = synthesize(smallOptions(42));
    const SalesData big = synthesize(more);
    EXPECT_EQ(small.series[0].values, big.series[0].values);
    EXPECT_EQ(small.series[3].values, big.series[5].values); // store 2, item 1
}

TEST(Synthesize, CsvHasTheDocumentedShape) {
    const SynthesizeOptions o = smallOptions(7);
    const std::string csv = formatSalesCsv(synthesize(o));
    auto parsed = parseSalesCsv(csv, "synthetic");
    ASSERT_TRUE(parsed.ok()) << parsed.message();
    EXPECT_EQ(csv.substr(0, csv.find('\n')), "date,store,item,sales");
    EXPECT_EQ(parsed->rows, 2u * 3u * 400u);
    ASSERT_EQ(parsed->series.size(), 6u);
    EXPECT_EQ(parsed->series[4].store, "2");
    EXPECT_EQ(parsed->series[4].item, "2");
    EXPECT_EQ(formatDate(parsed->start), "2021-01-01");
    EXPECT_EQ(formatDate(parsed->end), "2022-02-04");
    for (const SalesSeries &s : parsed->series) {
        ASSERT_EQ(s.values.size(), 400u);
        for (double v : s.values) {
            ASSERT_FALSE(std::isnan(v));
            ASSERT_GE(v, 0.0);
            ASSERT_EQ(v, std::floor(v));
        }
    }
}

TEST(Synthesize, HasStoreAndItemLevelsAndAWeeklyRhythm) {
    SynthesizeOptions o;
    o.stores = 4;
    o.items = 6;
    o.days = 364;
    const SalesData data = synthesize(o);
    std::array<double, 7> byWeekday{}; // 2021-01-01 is a Friday
    std::vector<double> seriesMeans;
    for (const SalesSeries &s : data.series) {
        double sum = 0.0;
        for (std::size_t t = 0; t < s.values.size(); ++t) {
            byWeekday[t % 7] += s.values[t];
            sum += s.values[t];
        }
        seriesMeans.push_back(sum / static_cast<double>(s.values.size()));
    }
    // Saturday (t % 7 == 1) outsells Tuesday (t % 7 == 4) clearly.
    EXPECT_GT(byWeekday[1], 1.2 * byWeekday[4]);
    const auto [lo, hi] = std::minmax_element(seriesMeans.begin(), seriesMeans.end());
    EXPECT_GT(*hi, 3.0 * *lo); // series differ in level, as real assortments do
}

TEST(Synthesize, HolidayCalendar) {
    EXPECT_EQ(holidayEffect(*parseDate("2025-11-28")), 1.4);  // Black Friday 2025
    EXPECT_EQ(holidayEffect(*parseDate("2025-11-27")), 0.7);  // Thanksgiving
    EXPECT_EQ(holidayEffect(*parseDate("2024-05-27")), 1.15); // Memorial Day 2024
    EXPECT_EQ(holidayEffect(*parseDate("2023-09-04")), 1.1);  // Labor Day 2023
    EXPECT_EQ(holidayEffect(*parseDate("2022-12-25")), 0.6);
    EXPECT_EQ(holidayEffect(*parseDate("2022-03-15")), 1.0);
}

TEST(Random, UniformIsDeterministicAndInRange) {
    Random a(1);
    Random b(1);
    for (int i = 0; i < 1000; ++i) {
        const double x = a.uniform();
        EXPECT_EQ(x, b.uniform());
        EXPECT_GE(x, 0.0);
        EXPECT_LT(x, 1.0);
    }
}

class PoissonMoments : public testing::TestWithParam<double> {};

TEST_P(PoissonMoments, MeanAndVarianceMatch) {
    const double mean = GetParam();
    Random rng(99);
    constexpr int kDraws = 100000;
    double sum = 0.0;
    double sumSq = 0.0;
    for (int i = 0; i < kDraws; ++i) {
        const auto k = static_cast<double>(rng.poisson(mean));
        sum += k;
        sumSq += k * k;
    }
    const double m = sum / kDraws;
    const double v = sumSq / kDraws - m * m;
    EXPECT_NEAR(m, mean, 5.0 * std::sqrt(mean / kDraws));
    EXPECT_NEAR(v / mean, 1.0, 0.03);
}

// Both samplers: multiplication below 30, PTRS above.
INSTANTIATE_TEST_SUITE_P(Means, PoissonMoments, testing::Values(0.5, 4.0, 29.0, 31.0, 150.0));

TEST(Random, NormalHasUnitVariance) {
    Random rng(5);
    double sum = 0.0;
    double sumSq = 0.0;
    constexpr int kDraws = 100000;
    for (int i = 0; i < kDraws; ++i) {
        const double z = rng.normal();
        sum += z;
        sumSq += z * z;
    }
    EXPECT_NEAR(sum / kDraws, 0.0, 0.02);
    EXPECT_NEAR(sumSq / kDraws, 1.0, 0.02);
}

} // namespace
} // namespace forecast
