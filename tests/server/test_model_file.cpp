// The model file: exact round trip, atomic save, and load errors that say what is wrong.
#include "model/forecast_model.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

namespace forecast {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

Model sampleModel() {
    Model m;
    m.version = "2026-11-25T14:00:00Z-1a2b3c4d";
    m.trainedAt = "2026-11-25T14:00:00Z";
    m.windowStart = *parseDate("2021-01-01");
    m.windowEnd = *parseDate("2025-12-31");
    m.holdoutDays = 28;
    m.overall = {0.8123456789, 21.5, 0.785, 1.2345, 29.75, 14000};
    SeriesModel a;
    a.store = "Store \"North\", 1";
    a.item = "caf\xc3\xa9";
    a.params = {0.0669295393104212, 1.0000121052121994e-4, 0.1 / 3.0, 0.97761130021527};
    a.state.level = 29.204648435431746;
    a.state.trend = -0.004073273984825156;
    a.state.season = {-5.1, -4.3, -3.6, -0.6, 1.5, 7.0, 5.0833333333333333};
    a.sigma = 7.5172516518056334;
    a.firstDate = m.windowStart;
    a.lastDate = m.windowEnd;
    a.holdout = {0.7, 20.0, 0.75, 1.1, 30.0, 28};
    SeriesModel b = a;
    b.item = "2";
    b.holdout = {};
    b.firstDate = *parseDate("2023-06-01");
    m.setSeries({a, b});
    return m;
}

void expectSameSeries(const SeriesModel &x, const SeriesModel &y) {
    EXPECT_EQ(x.store, y.store);
    EXPECT_EQ(x.item, y.item);
    EXPECT_EQ(x.params.alpha, y.params.alpha);
    EXPECT_EQ(x.params.beta, y.params.beta);
    EXPECT_EQ(x.params.gamma, y.params.gamma);
    EXPECT_EQ(x.params.phi, y.params.phi);
    EXPECT_EQ(x.state.level, y.state.level);
    EXPECT_EQ(x.state.trend, y.state.trend);
    EXPECT_EQ(x.state.season, y.state.season);
    EXPECT_EQ(x.sigma, y.sigma);
    EXPECT_EQ(x.firstDate, y.firstDate);
    EXPECT_EQ(x.lastDate, y.lastDate);
    EXPECT_EQ(x.holdout.mase, y.holdout.mase);
    EXPECT_EQ(x.holdout.coverage80, y.holdout.coverage80);
    EXPECT_EQ(x.holdout.days, y.holdout.days);
}

class TempDir {
public:
    TempDir() {
        m_path = fs::temp_directory_path() /
                 ("rf-model-test-" + std::to_string(::getpid()) + "-" + std::to_string(s_count++));
        fs::create_directories(m_path);
    }
    ~TempDir() { fs::remove_all(m_path); }
    fs::path operator/(const std::string &name) const { return m_path / name; }
    const fs::path &path() const { return m_path; }

private:
    static inline int s_count = 0;
    fs::path m_path;
};

TEST(ModelFile, SerializeParseRoundTripIsExact) {
    const Model m = sampleModel();
    auto parsed = Model::parse(m.serialize(), "test");
    ASSERT_TRUE(parsed.ok()) << parsed.message();
    EXPECT_EQ(parsed->formatVersion, kModelFormatVersion);
    EXPECT_EQ(parsed->version, m.version);
    EXPECT_EQ(parsed->trainedAt, m.trainedAt);
    EXPECT_EQ(parsed->windowStart, m.windowStart);
    EXPECT_EQ(parsed->windowEnd, m.windowEnd);
    EXPECT_EQ(parsed->holdoutDays, 28);
    EXPECT_EQ(parsed->overall.mase, m.overall.mase);
    EXPECT_EQ(parsed->overall.days, 14000);
    ASSERT_EQ(parsed->series().size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        expectSameSeries(parsed->series()[i], m.series()[i]);
    }
    ASSERT_NE(parsed->find("Store \"North\", 1", "2"), nullptr);
    // Same model, same forecasts.
    const std::array<double, 1> q{0.9};
    const auto before = m.forecast(m.series()[0], 10, q);
    const auto after = parsed->forecast(parsed->series()[0], 10, q);
    EXPECT_EQ(before.back().mean, after.back().mean);
    EXPECT_EQ(before.back().quantiles[0], after.back().quantiles[0]);
    EXPECT_EQ(parsed->serialize(), m.serialize());
}

TEST(ModelFile, SaveThenLoadAndNoTemporaryLeftBehind) {
    TempDir dir;
    const Model m = sampleModel();
    const std::string path = (dir / "model.json").string();
    ASSERT_TRUE(m.save(path).ok());
    auto loaded = Model::load(path);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_EQ(loaded->serialize(), m.serialize());
    // Overwriting an existing file works and leaves only the file itself.
    ASSERT_TRUE(m.save(path).ok());
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}), 1);
}

TEST(ModelFile, SaveIntoMissingDirectoryFailsWithThePath) {
    TempDir dir;
    const std::string path = (dir / "no-such-dir" / "model.json").string();
    auto st = sampleModel().save(path);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find(path), std::string::npos) << st.message();
}

TEST(ModelFile, LoadNamesAMissingFile) {
    auto r = Model::load("/nonexistent/dir/model.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.message(), "model file '/nonexistent/dir/model.json': not found");
}

TEST(ModelFile, LoadNamesTheFileOnBadContent) {
    TempDir dir;
    const std::string path = (dir / "broken.json").string();
    std::ofstream(path) << "{\"format_version\": 1, ";
    auto r = Model::load(path);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("model file '" + path + "': not valid JSON"), std::string::npos)
        << r.message();
}

struct LoadErrorCase {
    const char *name;
    std::function<void(json::object &)> mutate;
    const char *expected; // substring of the error
};

class ModelFileErrors : public testing::TestWithParam<LoadErrorCase> {};

TEST_P(ModelFileErrors, ReportsWhatIsWrong) {
    json::value doc = json::parse(sampleModel().serialize());
    GetParam().mutate(doc.as_object());
    auto r = Model::parse(json::serialize(doc), "model file 'm.json'");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find(GetParam().expected), std::string::npos) << r.message();
    EXPECT_EQ(r.message().rfind("model file 'm.json': ", 0), 0u) << r.message();
}

json::object &firstSeries(json::object &root) {
    return root["series"].as_array()[0].as_object();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ModelFileErrors,
    testing::Values(
        LoadErrorCase{"NewerFormat", [](json::object &o) { o["format_version"] = 2; },
                      "format_version 2 is not supported (this build reads format_version 1)"},
        LoadErrorCase{"FormatAsString", [](json::object &o) { o["format_version"] = "1"; },
                      "format_version \"1\" is not supported"},
        LoadErrorCase{"NoFormat", [](json::object &o) { o.erase("format_version"); },
                      "missing field 'format_version'"},
        LoadErrorCase{"NoSeries", [](json::object &o) { o.erase("series"); },
                      "missing field 'series'"},
        LoadErrorCase{"SeriesNotArray", [](json::object &o) { o["series"] = 3; },
                      "series: expected an array, found a number"},
        LoadErrorCase{"MissingAlpha", [](json::object &o) { firstSeries(o).erase("alpha"); },
                      "series[0]: missing field 'alpha'"},
        LoadErrorCase{"AlphaString", [](json::object &o) { firstSeries(o)["alpha"] = "0.1"; },
                      "series[0].alpha: expected a number, found a string"},
        LoadErrorCase{"PhiTooLarge", [](json::object &o) { firstSeries(o)["phi"] = 1.5; },
                      "series[0].phi: bad number 1.5 (must be within [0, 1])"},
        LoadErrorCase{"NegativeSigma", [](json::object &o) { firstSeries(o)["sigma"] = -1; },
                      "series[0].sigma: bad number -1"},
        LoadErrorCase{"ShortSeason",
                      [](json::object &o) {
                          firstSeries(o)["season"] = json::array{1, 2, 3};
                      },
                      "series[0].season: expected 7 values, found 3"},
        LoadErrorCase{"SeasonNull",
                      [](json::object &o) { firstSeries(o)["season"].as_array()[4] = nullptr; },
                      "series[0].season[4]: bad number null"},
        LoadErrorCase{"BadDate",
                      [](json::object &o) { firstSeries(o)["last_date"] = "2025-02-30"; },
                      "series[0].last_date: '2025-02-30' is not a date"},
        LoadErrorCase{"DatesReversed",
                      [](json::object &o) { firstSeries(o)["first_date"] = "2030-01-01"; },
                      "series[0]: last_date is before first_date"},
        LoadErrorCase{"WindowMissing", [](json::object &o) { o.erase("training_window"); },
                      "missing field 'training_window'"},
        LoadErrorCase{
            "HoldoutCoverage",
            [](json::object &o) { firstSeries(o)["holdout"].as_object()["coverage80"] = 3; },
            "series[0].holdout.coverage80: bad number 3"},
        LoadErrorCase{"DuplicatePair",
                      [](json::object &o) {
                          json::array &s = o["series"].as_array();
                          s.push_back(s[0]);
                      },
                      "a store/item pair appears more than once"},
        LoadErrorCase{"RootIsArray", [](json::object &o) { o.clear(); }, "missing field"}),
    [](const testing::TestParamInfo<LoadErrorCase> &info) { return info.param.name; });

TEST(ModelFile, RootMustBeAnObject) {
    auto r = Model::parse("[1, 2]", "x.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.message(), "x.json: expected an object, found an array");
}

TEST(ModelFile, IntegersAreAcceptedWhereNumbersAreExpected) {
    json::value doc = json::parse(sampleModel().serialize());
    firstSeries(doc.as_object())["level"] = 30;
    doc.as_object()["format_version"] = 1.0;
    auto r = Model::parse(json::serialize(doc), "m");
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_EQ(r->series()[0].state.level, 30.0);
}

} // namespace
} // namespace forecast
