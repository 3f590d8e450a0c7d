// Model reload: a changed model file is picked up within MODEL_CACHE_TTL without failing a
// request; a corrupt file keeps the old model serving, is logged and counted.

#include "api_test_support.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace apitest;

namespace {

std::string modelVersion(int port) {
    HttpClient client(port);
    return std::string(client.get("/model").json().at("version").as_string());
}

double firstMean(int port) {
    HttpClient client(port);
    const auto r = client.post("/predict", predictBody("1", "1", 1));
    return boost::json::value_to<double>(r.json().at("forecast").at(0).at("mean"));
}

// Replaces the file the way deployments do (write elsewhere, rename over).
void writeAtomically(const std::string &path, const std::string &text) {
    const std::string tmp = path + ".new";
    std::ofstream(tmp, std::ios::binary) << text;
    std::rename(tmp.c_str(), path.c_str());
}

std::string metrics(int port) {
    return HttpClient(port).get("/metrics").body;
}

} // namespace

TEST(Reload, ChangedModelFileIsPickedUpWithoutFailingRequests) {
    RunningServer server(Env{{"MODEL_CACHE_TTL", "1"}});
    EXPECT_EQ(modelVersion(server.port), "test-v1");
    const double before = firstMean(server.port);

    std::atomic<bool> stop{false};
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    std::thread load([&] {
        HttpClient client(server.port);
        while (!stop) {
            (client.post("/predict", predictBody("2", "3")).status == 200 ? ok : failed)++;
        }
    });

    writeModel(server.modelPath, "test-v2", 500.0);
    EXPECT_TRUE(waitUntil([&] { return modelVersion(server.port) == "test-v2"; }, 30s));
    stop = true;
    load.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_GT(ok.load(), 0);
    EXPECT_GT(firstMean(server.port), before + 100.0);

    HttpClient client(server.port);
    EXPECT_EQ(client.get("/ready").json().at("model_version"), "test-v2");
    const auto text = metrics(server.port);
    EXPECT_NE(text.find("model_reloads_total{result=\"success\"} 1"), std::string::npos) << text;
    EXPECT_NE(text.find("model_info{version=\"test-v2\"} 1"), std::string::npos);
    EXPECT_EQ(text.find("model_info{version=\"test-v1\"}"), std::string::npos);
    EXPECT_TRUE(server.process->waitForMessage("model reloaded", 1s));
}

TEST(Reload, CorruptFileKeepsTheOldModelServing) {
    RunningServer server(Env{{"MODEL_CACHE_TTL", "1"}});
    writeAtomically(server.modelPath, "{\"format_version\":1,\"series\":[{\"store\":");
    ASSERT_TRUE(server.process->waitForLog(
        [](const boost::json::object &line) {
            const auto *msg = line.if_contains("msg");
            return msg != nullptr && *msg == "model reload failed; keeping the current model" &&
                   line.at("level") == "warn" && !line.at("error").as_string().empty();
        },
        30s))
        << server.process->output();

    EXPECT_EQ(modelVersion(server.port), "test-v1");
    HttpClient client(server.port);
    EXPECT_EQ(client.post("/predict", predictBody("3", "17")).status, 200);
    EXPECT_EQ(client.get("/ready").status, 200);
    const auto text = metrics(server.port);
    EXPECT_NE(text.find("model_reloads_total{result=\"failure\"} 1"), std::string::npos) << text;
    EXPECT_NE(text.find("model_loaded 1"), std::string::npos);

    // A fixed file afterwards is picked up as usual.
    writeModel(server.modelPath, "test-v3");
    EXPECT_TRUE(waitUntil([&] { return modelVersion(server.port) == "test-v3"; }, 30s));
}

TEST(Reload, DeletedFileKeepsTheOldModelServing) {
    RunningServer server(Env{{"MODEL_CACHE_TTL", "1"}});
    std::remove(server.modelPath.c_str());
    ASSERT_TRUE(
        server.process->waitForMessage("model file disappeared; keeping the current model", 30s));
    EXPECT_EQ(modelVersion(server.port), "test-v1");
}
