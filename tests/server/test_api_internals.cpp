// Pieces of forecast-api below the HTTP layer: /proc parsing for process metrics, the JSON
// log line format, and the model watcher's change detection (in-process, no sockets).

#include "api_test_support.h"

#include "api/logger.h"
#include "api/model_watcher.h"
#include "metrics/process_collector.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace forecast;

TEST(ProcessMetrics, ParsesProcFiles) {
    // Field 2 contains spaces and a ')' to make sure fields are counted from the last ')'.
    const std::string stat = "1234 (forecast) api) S 1 1234 1234 0 -1 4194560 500 0 0 0 "
                             "250 150 0 0 20 0 3 0 12000 100000000 1500 18446744073709551615";
    const auto sample = metrics::parseProcess(stat, "24414 1500 900 1 0 2000 0\n",
                                              "cpu 1 2 3\nbtime 1700000000\n", 100, 4096);
    ASSERT_TRUE(sample.has_value());
    EXPECT_DOUBLE_EQ(sample->cpuSeconds, 4.0); // (250 + 150) ticks / 100
    EXPECT_DOUBLE_EQ(sample->residentBytes, 1500.0 * 4096);
    EXPECT_DOUBLE_EQ(sample->virtualBytes, 24414.0 * 4096);
    EXPECT_DOUBLE_EQ(sample->startTimeSeconds, 1700000000.0 + 120.0); // 12000 ticks after boot
}

TEST(ProcessMetrics, RejectsGarbage) {
    EXPECT_FALSE(metrics::parseProcess("no parens", "1 2", "btime 1", 100, 4096).has_value());
    EXPECT_FALSE(metrics::parseProcess("1 (x) S", "", "btime 1", 100, 4096).has_value());
}

TEST(ProcessMetrics, LiveValuesArePlausible) {
    const auto families = metrics::ProcessCollector().Collect();
    ASSERT_EQ(families.size(), 5u);
    for (const auto &family : families) {
        ASSERT_EQ(family.metric.size(), 1u);
        if (family.name == "process_resident_memory_bytes") {
            EXPECT_GT(family.metric[0].gauge.value, 1e5);
        }
        if (family.name == "process_start_time_seconds") {
            EXPECT_GT(family.metric[0].gauge.value, 1.6e9);
        }
    }
}

TEST(Logger, OneJsonObjectPerLine) {
    const std::string line =
        api::Logger::format(api::LogLevel::Warn, "model \"x\" failed",
                            {{"path", "/m.json"}, {"count", 3}, {"ratio", 0.5}, {"ok", false}});
    ASSERT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1);
    const auto v = boost::json::parse(line);
    EXPECT_EQ(v.at("level"), "warn");
    EXPECT_EQ(v.at("msg"), "model \"x\" failed");
    EXPECT_EQ(v.at("path"), "/m.json");
    EXPECT_EQ(v.at("count"), 3);
    EXPECT_EQ(v.at("ratio"), 0.5);
    EXPECT_EQ(v.at("ok"), false);
    const std::string ts(v.at("ts").as_string());
    EXPECT_EQ(ts.size(), 24u);
    EXPECT_EQ(ts[10], 'T');
    EXPECT_EQ(ts.back(), 'Z');
}

TEST(Logger, LevelFilters) {
    apitest::TempDir dir;
    const std::string path = dir.file("log.txt");
    std::FILE *f = std::fopen(path.c_str(), "w");
    {
        api::Logger logger(api::LogLevel::Info, f);
        logger.debug("hidden");
        logger.info("shown");
        logger.error("also shown");
    }
    std::fclose(f);
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find("hidden"), std::string::npos);
    EXPECT_NE(text.find("shown"), std::string::npos);
    EXPECT_NE(text.find("also shown"), std::string::npos);
}

TEST(Logger, Timestamp) {
    using namespace std::chrono;
    const auto t =
        sys_days{year{2026} / 11 / 25} + hours{14} + minutes{3} + seconds{9} + milliseconds{7};
    EXPECT_EQ(api::formatTimestamp(time_point_cast<system_clock::duration>(t)),
              "2026-11-25T14:03:09.007Z");
}

class WatcherTest : public ::testing::Test {
protected:
    apitest::TempDir dir;
    std::string path = dir.file("model.json");
    http::ModelHolder holder;
    metrics::ServiceMetrics metrics{"/health", "/ready"};
    std::FILE *devnull = std::fopen("/dev/null", "w");
    api::Logger logger{api::LogLevel::Error, devnull};
    ~WatcherTest() override { std::fclose(devnull); }
};

TEST_F(WatcherTest, LoadsSwapsAndKeepsTheOldModelOnFailure) {
    apitest::writeModel(path, "v1");
    api::ModelWatcher watcher(path, std::chrono::seconds(0), holder, metrics, logger);
    ASSERT_TRUE(watcher.loadInitial().ok());
    ASSERT_NE(holder.current(), nullptr);
    EXPECT_EQ(holder.current()->version, "v1");
    EXPECT_FALSE(watcher.checkOnce()); // unchanged file: nothing to do

    const auto before = holder.current(); // a request holding the old model keeps it
    apitest::writeModel(path, "v2");
    EXPECT_TRUE(watcher.checkOnce());
    EXPECT_EQ(holder.current()->version, "v2");
    EXPECT_EQ(before->version, "v1");

    { std::ofstream(path + ".bad") << "{ not a model"; }
    std::rename((path + ".bad").c_str(), path.c_str());
    EXPECT_FALSE(watcher.checkOnce());
    EXPECT_EQ(holder.current()->version, "v2");
    EXPECT_FALSE(watcher.checkOnce()); // the same broken file is not retried
    const auto text = metrics.scrape();
    EXPECT_NE(text.find("model_reloads_total{result=\"failure\"} 1"), std::string::npos);
    EXPECT_NE(text.find("model_reloads_total{result=\"success\"} 1"), std::string::npos);
}

TEST_F(WatcherTest, InitialLoadErrorNamesTheFile) {
    api::ModelWatcher watcher(dir.file("absent.json"), std::chrono::seconds(0), holder, metrics,
                              logger);
    const auto loaded = watcher.loadInitial();
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.message().find("absent.json"), std::string::npos);
    EXPECT_EQ(holder.current(), nullptr);
}
