// Configuration from the environment: defaults, and a failing start that names the
// variable for every invalid value. The last tests run the binary itself.

#include "api_test_support.h"

#include "api/config.h"

#include <gtest/gtest.h>

#include <thread>

using namespace forecast::api;

namespace {

EnvLookup envOf(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const std::string &name) -> std::optional<std::string> {
        const auto it = values.find(name);
        if (it == values.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

} // namespace

TEST(Config, Defaults) {
    auto c = loadConfig(envOf({{"MODEL_PATH", "/m.json"}}), "1.0.0");
    ASSERT_TRUE(c.ok()) << c.message();
    EXPECT_EQ(c->port, 5000);
    EXPECT_EQ(c->host, "0.0.0.0");
    EXPECT_EQ(c->healthPath, "/health");
    EXPECT_EQ(c->readyPath, "/ready");
    EXPECT_EQ(c->logLevel, LogLevel::Info);
    EXPECT_EQ(c->modelPath, "/m.json");
    EXPECT_EQ(c->modelCacheTtl, std::chrono::seconds(60));
    EXPECT_EQ(c->appVersion, "1.0.0");
    EXPECT_EQ(c->drainTimeout, std::chrono::seconds(10));
    EXPECT_EQ(c->workers, availableCpus());
}

TEST(Config, WorkersDefaultToTheCpuLimitNotTheNodesCores) {
    // A Kubernetes CPU limit of 1.5 CPUs is "150000 100000" in the container's cpu.max.
    EXPECT_EQ(cpuQuotaCores("150000 100000\n"), 2);
    EXPECT_EQ(cpuQuotaCores("100000 100000"), 1);
    EXPECT_EQ(cpuQuotaCores("10000 100000"), 1); // 100m still gets one thread
    EXPECT_EQ(cpuQuotaCores("400000 100000"), 4);
    EXPECT_EQ(cpuQuotaCores("max 100000"), std::nullopt);
    EXPECT_EQ(cpuQuotaCores(""), std::nullopt);
    EXPECT_EQ(cpuQuotaCores("garbage"), std::nullopt);
    EXPECT_GE(availableCpus(), 1);
    EXPECT_LE(availableCpus(), static_cast<int>(std::max(1U, std::thread::hardware_concurrency())));
}

TEST(Config, ValuesFromTheEnvironment) {
    auto c = loadConfig(envOf({{"MODEL_PATH", "/m.json"},
                               {"PORT", "8080"},
                               {"HOST", "127.0.0.1"},
                               {"HEALTH_CHECK_PATH", "/livez"},
                               {"READINESS_CHECK_PATH", "/readyz"},
                               {"LOG_LEVEL", "debug"},
                               {"MODEL_CACHE_TTL", "5"},
                               {"APP_VERSION", "2.0.0"},
                               {"SHUTDOWN_DRAIN_SECONDS", "30"},
                               {"WORKERS", "3"}}),
                        "1.0.0");
    ASSERT_TRUE(c.ok()) << c.message();
    EXPECT_EQ(c->port, 8080);
    EXPECT_EQ(c->host, "127.0.0.1");
    EXPECT_EQ(c->healthPath, "/livez");
    EXPECT_EQ(c->readyPath, "/readyz");
    EXPECT_EQ(c->logLevel, LogLevel::Debug);
    EXPECT_EQ(c->modelCacheTtl, std::chrono::seconds(5));
    EXPECT_EQ(c->appVersion, "2.0.0");
    EXPECT_EQ(c->drainTimeout, std::chrono::seconds(30));
    EXPECT_EQ(c->workers, 3);
}

struct BadValue {
    const char *variable;
    const char *value;
};

class ConfigInvalid : public ::testing::TestWithParam<BadValue> {};

TEST_P(ConfigInvalid, FailsNamingTheVariable) {
    auto c = loadConfig(envOf({{"MODEL_PATH", "/m.json"}, {GetParam().variable, GetParam().value}}),
                        "1.0.0");
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.message().find(GetParam().variable), std::string::npos) << c.message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigInvalid,
    ::testing::Values(BadValue{"PORT", "abc"}, BadValue{"PORT", "70000"}, BadValue{"PORT", "-1"},
                      BadValue{"PORT", "80x"}, BadValue{"PORT", ""}, BadValue{"HOST", ""},
                      BadValue{"HOST", "localhost"}, BadValue{"HOST", "10.0.0.300"},
                      BadValue{"HEALTH_CHECK_PATH", "health"},
                      BadValue{"HEALTH_CHECK_PATH", "/predict"},
                      BadValue{"READINESS_CHECK_PATH", "/health"}, BadValue{"LOG_LEVEL", "verbose"},
                      BadValue{"LOG_LEVEL", "INFO"}, BadValue{"MODEL_CACHE_TTL", "1m"},
                      BadValue{"MODEL_CACHE_TTL", "-3"}, BadValue{"SHUTDOWN_DRAIN_SECONDS", "ten"},
                      BadValue{"SHUTDOWN_QUIET_MS", "0.5"}, BadValue{"WORKERS", "0"},
                      BadValue{"KEEPALIVE_TIMEOUT_SECONDS", "0"},
                      BadValue{"REQUEST_TIMEOUT_SECONDS", "x"}),
    [](const auto &info) {
        std::string name = std::string(info.param.variable) + "_" + std::to_string(info.index);
        return name;
    });

TEST(Config, ModelPathIsRequired) {
    auto c = loadConfig(envOf({}), "1.0.0");
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.message().find("MODEL_PATH"), std::string::npos);
}

TEST(ConfigBinary, BadPortExitsNonZeroNamingPort) {
    apitest::ServerProcess process(
        apitest::Env{{"PORT", "not-a-port"}, {"MODEL_PATH", "/nonexistent"}});
    const auto code = process.waitExit();
    ASSERT_TRUE(code.has_value());
    EXPECT_NE(*code, 0);
    EXPECT_NE(process.output().find("PORT"), std::string::npos) << process.output();
}

TEST(ConfigBinary, MissingModelPathExitsNonZero) {
    apitest::ServerProcess process(apitest::Env{{"PORT", "0"}, {"MODEL_PATH", ""}});
    const auto code = process.waitExit();
    ASSERT_TRUE(code.has_value());
    EXPECT_NE(*code, 0);
    EXPECT_NE(process.output().find("MODEL_PATH"), std::string::npos) << process.output();
}

TEST(ConfigBinary, UnreadableModelExitsNonZeroNamingTheFile) {
    apitest::TempDir dir;
    apitest::ServerProcess process(apitest::Env{
        {"PORT", "0"}, {"HOST", "127.0.0.1"}, {"MODEL_PATH", dir.file("missing.json")}});
    const auto code = process.waitExit();
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 1);
    EXPECT_NE(process.output().find("missing.json"), std::string::npos) << process.output();
}

TEST(ConfigBinary, PortInUseExitsNonZero) {
    apitest::RunningServer first;
    apitest::ServerProcess second(apitest::Env{{"PORT", std::to_string(first.port)},
                                               {"HOST", "127.0.0.1"},
                                               {"MODEL_PATH", first.modelPath}});
    const auto code = second.waitExit();
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 1);
    EXPECT_NE(second.output().find("cannot listen"), std::string::npos) << second.output();
}

TEST(ConfigBinary, LogsAreOneJsonObjectPerLine) {
    apitest::RunningServer server(apitest::Env{{"LOG_LEVEL", "debug"}});
    apitest::HttpClient(server.port).get("/health");
    ASSERT_TRUE(server.process->waitForMessage("request"));
    for (const auto &line : server.process->lines()) {
        boost::system::error_code ec;
        const auto v = boost::json::parse(line, ec);
        ASSERT_FALSE(ec) << line;
        ASSERT_TRUE(v.is_object()) << line;
        const auto &o = v.as_object();
        EXPECT_TRUE(o.contains("ts") && o.contains("level") && o.contains("msg")) << line;
        const std::string ts(o.at("ts").as_string());
        EXPECT_EQ(ts.size(), 24u) << ts; // 2026-11-25T14:00:00.123Z
        EXPECT_EQ(ts.back(), 'Z');
    }
}
