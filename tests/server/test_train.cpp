// Training: holdout scoring, the seasonal-naive baseline, the parallel trainer and its
// report, and the forecast-train command line (nothing written on bad data).
#include "model/accuracy.h"
#include "model/ets.h"
#include "model/random.h"
#include "model/synthesizer.h"
#include "model/trainer.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <sys/wait.h>

namespace forecast {
namespace {

namespace fs = std::filesystem;
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

TEST(Accuracy, SeasonalNaiveRepeatsLastWeekAndLooksBackOverGaps) {
    std::vector<double> train{1, 2, 3, 4, 5, 6, 7, 10, 20, kNan, 40, 50, 60, 70};
    const auto f = seasonalNaiveForecast(train, 9);
    EXPECT_EQ(f, (std::vector<double>{10, 20, 3, 40, 50, 60, 70, 10, 20}));
}

TEST(Accuracy, ScaleIsTheInSampleSeasonalNaiveMae) {
    std::vector<double> train{1, 2, 3, 4, 5, 6, 7, 3, 2, 3, 4, 5, 6, 9};
    // |3-1| + 0 * 5 + |9-7| over 7 pairs
    EXPECT_NEAR(seasonalNaiveScale(train), 4.0 / 7.0, 1e-15);
    // Flat series: falls back so MASE stays finite.
    EXPECT_EQ(seasonalNaiveScale(std::vector<double>(20, 0.0)), 1.0);
    EXPECT_NEAR(seasonalNaiveScale(std::vector<double>(20, 5.0)), 5.0, 1e-15);
}

TEST(Accuracy, ScoresModelAndBaselineByHand) {
    // The second training week is the first plus 1, so the seasonal-naive scale is 1.
    std::vector<double> train{10, 20, 30, 40, 50, 60, 70, 11, 21, 31, 41, 51, 61, 71};
    const std::vector<double> actual{12, 20, kNan, 0};
    HoldoutForecast model;
    model.mean = {12, 22, 999, 0};
    model.lower = {11, 21, 0, 0};
    model.upper = {13, 23, 0, 1};
    const Accuracy a = scoreHoldout(train, actual, model);
    EXPECT_EQ(a.days, 3);
    // Model errors 0, 2, 0; baseline forecasts 11, 21, (31), 41 -> errors 1, 1, 41.
    EXPECT_NEAR(a.mase, 2.0 / 3.0, 1e-12);
    EXPECT_NEAR(a.naiveMase, 43.0 / 3.0, 1e-12);
    EXPECT_NEAR(a.smape, (0.0 + 200.0 * 2 / 42 + 0.0) / 3.0, 1e-12); // 0 vs 0 counts as 0
    EXPECT_NEAR(a.naiveSmape, (200.0 / 23 + 200.0 / 41 + 200.0) / 3.0, 1e-12);
    EXPECT_NEAR(a.coverage80, 2.0 / 3.0, 1e-12); // 20 is below the [21, 23] interval
}

TEST(Accuracy, NoObservedHoldoutDayMeansNotScored) {
    std::vector<double> train(14, 3.0);
    const std::vector<double> actual{kNan, kNan};
    HoldoutForecast model{{1, 1}, {0, 0}, {2, 2}};
    EXPECT_EQ(scoreHoldout(train, actual, model).days, 0);
}

SalesData smallData() {
    SynthesizeOptions o;
    o.stores = 2;
    o.items = 4;
    o.days = 3 * 365;
    o.seed = 3;
    return synthesize(o);
}

TEST(Trainer, BeatsSeasonalNaiveOnSyntheticData) {
    const SalesData data = smallData();
    TrainOptions options;
    options.threads = 2;
    options.trainedAt = "2026-01-02T03:04:05Z";
    std::size_t lastDone = 0;
    options.progress = [&](std::size_t done, std::size_t total) {
        EXPECT_EQ(done, lastDone + 1);
        EXPECT_EQ(total, 8u);
        lastDone = done;
    };
    auto result = train(data, options);
    ASSERT_TRUE(result.ok()) << result.message();
    EXPECT_EQ(lastDone, 8u);
    const Model &m = result->model;
    ASSERT_EQ(m.series().size(), 8u);
    EXPECT_EQ(result->scoredSeries, 8);
    EXPECT_LT(m.overall.mase, 0.85 * m.overall.naiveMase);
    EXPECT_LT(m.overall.smape, m.overall.naiveSmape);
    EXPECT_GT(m.overall.coverage80, 0.6);
    EXPECT_EQ(m.overall.days, 8 * 28);
    EXPECT_EQ(m.holdoutDays, 28);
    EXPECT_EQ(m.windowStart, data.start);
    EXPECT_EQ(m.windowEnd, data.end);
    EXPECT_EQ(m.trainedAt, "2026-01-02T03:04:05Z");
    EXPECT_EQ(m.version.rfind("2026-01-02T03:04:05Z-", 0), 0u);
    EXPECT_EQ(m.version.size(), std::string("2026-01-02T03:04:05Z-").size() + 8);
    // The served model covers every day: forecasts start after the last data day.
    const SeriesModel *s = m.find("2", "3");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->lastDate, data.end);
    EXPECT_EQ(m.forecast(*s, 1, {})[0].date, data.end + std::chrono::days{1});
}

TEST(Trainer, GapsInTheDataAreHandled) {
    SalesData data = smallData();
    Random rng(17);
    for (SalesSeries &s : data.series) {
        for (double &v : s.values) {
            if (rng.uniform() < 0.1) {
                v = kNan; // one day in ten without a row
            }
        }
    }
    auto result = train(data, {});
    ASSERT_TRUE(result.ok()) << result.message();
    const Model &m = result->model;
    ASSERT_EQ(m.series().size(), 8u);
    EXPECT_LT(m.overall.mase, 0.9 * m.overall.naiveMase);
    EXPECT_LT(m.overall.days, 8 * 28); // missing holdout days are not scored
    EXPECT_GT(m.overall.days, 8 * 20);
    for (const SeriesModel &s : m.series()) {
        EXPECT_TRUE(std::isfinite(s.sigma) && s.sigma > 0.0);
        EXPECT_TRUE(std::isfinite(s.state.level));
    }
}

TEST(Trainer, ThreadCountDoesNotChangeTheModel) {
    const SalesData data = smallData();
    TrainOptions one;
    one.threads = 1;
    one.trainedAt = "t";
    TrainOptions two = one;
    two.threads = 2;
    auto a = train(data, one);
    auto b = train(data, two);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->model.serialize(), b->model.serialize());
}

TEST(Trainer, RefitStatesKeepsHoldoutParametersAndUpdatesStates) {
    const SalesData data = smallData();
    TrainOptions options;
    options.refit = Refit::States;
    auto r = train(data, options);
    ASSERT_TRUE(r.ok());
    const std::span<const double> y(data.series[0].values);
    auto holdoutFit = fitEts(y.first(y.size() - 28));
    ASSERT_TRUE(holdoutFit.ok());
    const SeriesModel &served = r->model.series()[0];
    EXPECT_EQ(served.params.alpha, holdoutFit->params.alpha);
    EXPECT_EQ(served.params.phi, holdoutFit->params.phi);
    // States run through every day, so forecasts start after the last one.
    EtsState state = holdoutFit->initial;
    runFilter(holdoutFit->params, state, y);
    EXPECT_EQ(served.state.level, state.level);
    EXPECT_EQ(served.lastDate, data.end);
    // Same holdout fits as the default (full) refit, so the same scores.
    auto full = train(data, {});
    ASSERT_TRUE(full.ok());
    EXPECT_EQ(r->model.overall.mase, full->model.overall.mase);
}

TEST(Trainer, ShortSeriesAreUnscoredOrLeftOutWithAWarning) {
    const auto data = parseSalesCsv("date,store,item,sales\n"
                                    "2024-01-01,a,1,5\n2024-01-02,a,1,6\n",
                                    "short.csv");
    ASSERT_TRUE(data.ok());
    SalesData combined = smallData();
    combined.series.push_back(data->series[0]);
    SalesSeries medium{"b", "1", combined.series[0].firstDate,
                       std::vector<double>(combined.series[0].values.begin(),
                                           combined.series[0].values.begin() + 40)};
    combined.series.push_back(medium);
    auto r = train(combined, {});
    ASSERT_TRUE(r.ok()) << r.message();
    ASSERT_EQ(r->warnings.size(), 1u);
    EXPECT_EQ(r->warnings[0],
              "store 'a', item '1': left out of the model: only 2 days with data; at least 14 "
              "are needed");
    const SeriesModel *b = r->model.find("b", "1");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->holdout.days, 0); // 40 days: too short to hold 28 out, still served
    EXPECT_EQ(r->scoredSeries, 8);
}

TEST(Trainer, ReportHasOverallAndOneEntryPerSeries) {
    auto r = train(smallData(), {});
    ASSERT_TRUE(r.ok());
    const boost::json::value report = boost::json::parse(reportJson(*r));
    const auto &overall = report.at("overall").as_object();
    for (const char *key : {"mase", "smape", "coverage80", "naive_mase", "naive_smape"}) {
        EXPECT_TRUE(overall.at(key).is_double()) << key;
    }
    const auto &series = report.at("series").as_array();
    ASSERT_EQ(series.size(), 8u);
    for (const auto &entry : series) {
        for (const char *key :
             {"store", "item", "mase", "smape", "coverage80", "naive_mase", "naive_smape"}) {
            EXPECT_TRUE(entry.as_object().contains(key)) << key;
        }
    }
    EXPECT_EQ(series[0].at("store").as_string(), "1");
    EXPECT_EQ(series[0].at("item").as_string(), "1");
}

// --- the command line -------------------------------------------------------------------

class TrainCli : public testing::Test {
protected:
    void SetUp() override {
        m_bin = std::string(RF_BIN_DIR) + "/forecast-train";
        if (!fs::exists(m_bin)) {
            GTEST_SKIP() << m_bin << " is not built; build the forecast-train target";
        }
        m_dir = fs::temp_directory_path() / ("rf-train-cli-" + std::to_string(::getpid()));
        fs::create_directories(m_dir);
    }
    void TearDown() override {
        if (!m_dir.empty()) {
            fs::remove_all(m_dir);
        }
    }
    int run(const std::string &args) {
        const std::string cmd =
            m_bin + " " + args + " >" + path("stdout") + " 2>" + path("stderr") + " </dev/null";
        const int status = std::system(cmd.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::string path(const std::string &name) const { return (m_dir / name).string(); }
    std::string read(const std::string &name) const {
        std::ifstream in(path(name), std::ios::binary);
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
    }
    std::string m_bin;
    fs::path m_dir;
};

TEST_F(TrainCli, SynthesizeIsByteIdenticalForASeed) {
    ASSERT_EQ(run("synthesize --out " + path("a.csv") + " --stores 2 --items 3 --days 100"), 0)
        << read("stderr");
    ASSERT_EQ(run("synthesize --out=" + path("b.csv") + " --stores 2 --items 3 --days 100"), 0);
    ASSERT_EQ(
        run("synthesize --out " + path("c.csv") + " --stores 2 --items 3 --days 100 --seed 43"), 0);
    EXPECT_EQ(read("a.csv"), read("b.csv"));
    EXPECT_NE(read("a.csv"), read("c.csv"));
    EXPECT_NE(read("stdout").find("wrote 600 rows"), std::string::npos) << read("stdout");
}

TEST_F(TrainCli, FitWritesALoadableModelAndReport) {
    ASSERT_EQ(run("synthesize --out " + path("s.csv") + " --stores 1 --items 2 --days 500"), 0);
    ASSERT_EQ(run("fit --data " + path("s.csv") + " --out " + path("m.json") + " --report " +
                  path("r.json") + " --holdout 14 --threads 1"),
              0)
        << read("stderr");
    auto model = Model::load(path("m.json"));
    ASSERT_TRUE(model.ok()) << model.message();
    EXPECT_EQ(model->series().size(), 2u);
    EXPECT_EQ(model->holdoutDays, 14);
    const auto report = boost::json::parse(read("r.json"));
    EXPECT_EQ(report.at("series").as_array().size(), 2u);
    const std::string out = read("stdout");
    EXPECT_NE(out.find("MASE (mean)"), std::string::npos) << out;
    EXPECT_NE(out.find("80% interval coverage"), std::string::npos) << out;
    EXPECT_EQ(out.find('\r'), std::string::npos); // no progress bar when not a terminal
}

TEST_F(TrainCli, MalformedRowIsReportedAndNothingIsWritten) {
    std::ofstream(path("bad.csv")) << "date,store,item,sales\n2024-01-01,1,1,5\n"
                                      "2024-01-02,1,1,lots\n";
    EXPECT_EQ(run("fit --data " + path("bad.csv") + " --out " + path("m.json") + " --report " +
                  path("r.json")),
              1);
    EXPECT_NE(read("stderr").find(path("bad.csv") + ":3: field 'sales': 'lots' is not a number"),
              std::string::npos)
        << read("stderr");
    EXPECT_NE(read("stderr").find("nothing was written"), std::string::npos);
    EXPECT_FALSE(fs::exists(path("m.json")));
    EXPECT_FALSE(fs::exists(path("r.json")));
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator{}), 3);
}

TEST_F(TrainCli, UsageErrorsExitWithTwo) {
    EXPECT_EQ(run("fit --data x.csv"), 2);
    EXPECT_NE(read("stderr").find("fit needs --data FILE and --out MODEL"), std::string::npos);
    EXPECT_EQ(run("fit --data x.csv --out m.json --holdout -3"), 2);
    EXPECT_NE(read("stderr").find("option --holdout: '-3' is not an integer from 0 to 3650"),
              std::string::npos);
    EXPECT_EQ(run("synthesize --out x.csv --start 2021-02-30"), 2);
    EXPECT_EQ(run("frobnicate"), 2);
    EXPECT_EQ(run("fit --data x --out y --bogus 1"), 2);
    EXPECT_NE(read("stderr").find("unknown option --bogus"), std::string::npos);
    EXPECT_EQ(run("--help"), 0);
    EXPECT_NE(read("stdout").find("forecast-train synthesize"), std::string::npos);
}

} // namespace
} // namespace forecast
