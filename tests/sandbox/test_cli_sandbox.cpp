// `forecast-sandbox up|status|down` as a user runs them, plus the certificate and
// kubeconfig material they write.

#include "cli/certificates.h"
#include "cli/command_line.h"
#include "cli/kubeconfig_writer.h"
#include "util/base64.h"
#include "util/yaml_json.h"

#include <boost/json/serialize.hpp>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace sandbox;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string templ = (fs::temp_directory_path() / "rf-cli-XXXXXX").string();
        path = ::mkdtemp(templ.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

unsigned modeOf(const fs::path &p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
}

std::string slurp(const fs::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

X509 *loadCert(const std::string &pem) {
    BIO *bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509 *cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return cert;
}

struct RunResult {
    int code = -1;
    std::string output;
};

// Runs a command to completion (bounded), capturing stdout and stderr.
RunResult run(const std::vector<std::string> &argv, std::chrono::seconds timeout = 60s) {
    TempDir out;
    fs::path file = out.path / "out.txt";
    pid_t pid = ::fork();
    if (pid == 0) {
        int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        std::vector<char *> args;
        for (const auto &a : argv) {
            args.push_back(const_cast<char *>(a.c_str()));
        }
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    RunResult result;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(20ms);
    }
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.output = slurp(file);
    return result;
}

bool onPath(const std::string &name) {
    const char *path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (::access((fs::path(dir) / name).c_str(), X_OK) == 0) {
            return true;
        }
    }
    return false;
}

const std::string kBinary = std::string(RF_BIN_DIR) + "/forecast-sandbox";

// A `forecast-sandbox up` child process.
struct UpProcess {
    pid_t pid = -1;
    fs::path log;
    UpProcess(const fs::path &stateDir, const fs::path &logFile,
              std::vector<std::string> extra = {}) {
        log = logFile;
        pid = ::fork();
        if (pid == 0) {
            int fd = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            std::vector<std::string> argv{kBinary,           "up",     "--state-dir",
                                          stateDir.string(), "--port", "0"};
            argv.insert(argv.end(), extra.begin(), extra.end());
            std::vector<char *> args;
            for (auto &a : argv) {
                args.push_back(a.data());
            }
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
    }
    int wait(std::chrono::seconds timeout = 60s) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        int status = 0;
        while (::waitpid(pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid, SIGKILL);
                ::waitpid(pid, &status, 0);
                pid = -1;
                return -1;
            }
            std::this_thread::sleep_for(20ms);
        }
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    ~UpProcess() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

bool waitForRunning(const fs::path &stateDir, std::chrono::seconds timeout = 60s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto status = run({kBinary, "status", "--state-dir", stateDir.string()});
        if (status.code == 0 && status.output.find("https://127.0.0.1:") != std::string::npos) {
            return true;
        }
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

} // namespace

TEST(CliCertificates, CaIsACaAndServerCertNamesLoopback) {
    auto material = generateTlsMaterial();
    ASSERT_TRUE(material.ok()) << material.message();
    X509 *ca = loadCert(material->caCertificatePem);
    X509 *server = loadCert(material->serverCertificatePem);
    ASSERT_NE(ca, nullptr);
    ASSERT_NE(server, nullptr);
    EXPECT_EQ(X509_check_ca(ca), 1);
    EXPECT_EQ(X509_check_ca(server), 0);
    EXPECT_EQ(X509_check_ip_asc(server, "127.0.0.1", 0), 1);
    EXPECT_EQ(X509_check_host(server, "localhost", 0, 0, nullptr), 1);
    EVP_PKEY *caKey = X509_get_pubkey(ca);
    EXPECT_EQ(X509_verify(server, caKey), 1);
    EVP_PKEY_free(caKey);
    X509_free(ca);
    X509_free(server);
}

TEST(CliCertificates, KeptInTheStateDirWithPrivateKeysAndReused) {
    TempDir dir;
    auto first = ensureTlsMaterial(dir.path);
    ASSERT_TRUE(first.ok()) << first.message();
    EXPECT_EQ(modeOf(dir.path / "ca.key"), 0600u);
    EXPECT_EQ(modeOf(dir.path / "server.key"), 0600u);
    auto second = ensureTlsMaterial(dir.path);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->caCertificatePem, first->caCertificatePem);
    auto token = ensureToken(dir.path);
    ASSERT_TRUE(token.ok());
    EXPECT_EQ(token->size(), 64u);
    EXPECT_EQ(modeOf(dir.path / "token"), 0600u);
    EXPECT_EQ(ensureToken(dir.path).value(), token.value());
}

TEST(CliKubeconfig, HasTheForecastSandboxContextAndNamespace) {
    KubeconfigSpec spec;
    spec.server = "https://127.0.0.1:6443";
    spec.caCertificatePem = "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n";
    spec.token = "secret-token";
    auto parsed = yaml::toJson(renderKubeconfig(spec));
    ASSERT_TRUE(parsed.ok()) << parsed.message();
    auto &config = parsed->as_object();
    EXPECT_EQ(config.at("current-context").as_string(), "forecast-sandbox");
    auto &cluster = config.at("clusters").as_array()[0].as_object();
    EXPECT_EQ(cluster.at("name").as_string(), "forecast-sandbox");
    EXPECT_EQ(cluster.at("cluster").as_object().at("server").as_string(), spec.server);
    EXPECT_EQ(cluster.at("cluster").as_object().at("certificate-authority-data").as_string(),
              base64Encode(spec.caCertificatePem));
    auto &context = config.at("contexts").as_array()[0].as_object().at("context").as_object();
    EXPECT_EQ(context.at("namespace").as_string(), "retail-forecast");
    EXPECT_EQ(
        config.at("users").as_array()[0].as_object().at("user").as_object().at("token").as_string(),
        "secret-token");
}

TEST(CliCommandLine, ClearErrorsForBadFlags) {
    CommandLine cmd;
    std::string error;
    EXPECT_FALSE(parseCommandLine({"up"}, cmd, error));
    EXPECT_EQ(error, "--state-dir DIR is required");
    CommandLine c2;
    EXPECT_FALSE(parseCommandLine({"up", "--state-dir", "/tmp/x", "--port", "99999"}, c2, error));
    EXPECT_NE(error.find("--port"), std::string::npos);
    CommandLine c3;
    EXPECT_FALSE(parseCommandLine({"status", "--state-dir", "/tmp/x", "--port", "1"}, c3, error));
    EXPECT_NE(error.find("unknown flag --port"), std::string::npos);
    CommandLine c4;
    EXPECT_FALSE(parseCommandLine({"launch"}, c4, error));
    CommandLine c5;
    ASSERT_TRUE(parseCommandLine({"up", "--state-dir=/tmp/x", "--time-scale=10", "--port", "0"}, c5,
                                 error));
    EXPECT_EQ(c5.options.timeScale, 10.0);
}

TEST(CliSandbox, UpStatusDownAndRestartKeepsCertificates) {
    if (!fs::exists(kBinary)) {
        GTEST_SKIP() << "forecast-sandbox is not built at " << kBinary;
    }
    TempDir dir;
    const fs::path state = dir.path / "state";
    EXPECT_EQ(run({kBinary, "status", "--state-dir", state.string()}).code, 3);

    std::string caBefore;
    {
        UpProcess up(state, dir.path / "up.log");
        ASSERT_TRUE(waitForRunning(state)) << slurp(dir.path / "up.log");
        const fs::path kubeconfig = state / "kubeconfig";
        EXPECT_TRUE(fs::exists(kubeconfig));
        EXPECT_EQ(modeOf(kubeconfig), 0600u);
        EXPECT_EQ(modeOf(state / "ca.key"), 0600u);
        EXPECT_EQ(modeOf(state / "server.key"), 0600u);
        EXPECT_EQ(modeOf(state / "token"), 0600u);
        caBefore = slurp(state / "ca.crt");
        std::string printed = slurp(dir.path / "up.log");
        EXPECT_NE(printed.find("forecast-sandbox listening on https://127.0.0.1:"),
                  std::string::npos);
        EXPECT_NE(printed.find("kubeconfig: "), std::string::npos);

        auto second = run({kBinary, "up", "--state-dir", state.string()});
        EXPECT_EQ(second.code, 1);
        EXPECT_NE(second.output.find("already running"), std::string::npos) << second.output;

        if (onPath("kubectl")) {
            auto namespaces =
                run({"kubectl", "--kubeconfig", kubeconfig.string(), "get", "ns"}, 120s);
            EXPECT_EQ(namespaces.code, 0) << namespaces.output;
            EXPECT_NE(namespaces.output.find("retail-forecast"), std::string::npos)
                << namespaces.output;
            EXPECT_NE(namespaces.output.find("Active"), std::string::npos) << namespaces.output;
        } else {
            std::cout << "[  SKIPPED ] kubectl is not installed: `kubectl get ns` not checked\n";
        }

        auto down = run({kBinary, "down", "--state-dir", state.string()});
        EXPECT_EQ(down.code, 0) << down.output;
        EXPECT_EQ(up.wait(), 0) << slurp(dir.path / "up.log");
        EXPECT_EQ(run({kBinary, "status", "--state-dir", state.string()}).code, 3);
    }
    {
        UpProcess again(state, dir.path / "again.log");
        ASSERT_TRUE(waitForRunning(state)) << slurp(dir.path / "again.log");
        EXPECT_EQ(slurp(state / "ca.crt"), caBefore);
        ::kill(again.pid, SIGTERM);
        EXPECT_EQ(again.wait(), 0);
    }
}
