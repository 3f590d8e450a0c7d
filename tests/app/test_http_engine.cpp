// The HTTP engine as its users rely on it: results and stream lines arrive as queued
// signals in the receiver's thread; cancel is final; timeouts, Retry-After, bounded
// retries, gzip, proxies and impersonation; TLS, tls-server-name and 401 refresh against a
// real sandbox.

#include "net/http_engine.h"
#include "net/retry_policy.h"
#include "support/http_test_server.h"
#include "support/sandbox_fixture.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace dashboard;
using namespace dashboard::test;

namespace dashboard {
// QCOMPARE prints statuses by name.
char *toString(HttpResult::Status status) {
    return qstrdup(qPrintable(statusName(status)));
}
} // namespace dashboard

namespace {

const QByteArray kGzipBody = QByteArray::fromBase64(
    "H4sIAAAAAAACA6tWSs7PLShKLS5OTVGyKikqTdVRKkmtKFGyUkpMSh5FRCKlWgDc7m0RSQEAAA==");

// Collects what a call delivers, and where.
struct Collector {
    QList<QByteArray> lines;
    QList<HttpResult> results;
    QThread *thread = nullptr;

    void attach(HttpCall *call, QObject *context) {
        QObject::connect(call, &HttpCall::lineReceived, context,
                         [this](const QByteArray &line) { lines.append(line); });
        QObject::connect(call, &HttpCall::finished, context, [this](const HttpResult &result) {
            thread = QThread::currentThread();
            results.append(result);
        });
    }
};

// Hands out a wrong token first; after invalidate() the right one. Records the threads
// it was asked on.
class RotatingTokenProvider final : public CredentialProvider {
public:
    RotatingTokenProvider(QByteArray stale, QByteArray fresh)
        : m_stale(std::move(stale))
        , m_fresh(std::move(fresh)) {}
    rf::Result<Credentials> get() override {
        calledOnThread = QThread::currentThread();
        ++gets;
        Credentials credentials;
        credentials.bearerToken = m_invalidated ? m_fresh : m_stale;
        return credentials;
    }
    bool invalidate() override {
        ++invalidations;
        m_invalidated = true;
        return true;
    }
    QString describe() const override { return QStringLiteral("exec plugin test-plugin"); }

    std::atomic<QThread *> calledOnThread{nullptr};
    std::atomic<int> gets{0};
    std::atomic<int> invalidations{0};

private:
    QByteArray m_stale;
    QByteArray m_fresh;
    std::atomic<bool> m_invalidated{false};
};

HttpRequest get(const QUrl &url) {
    HttpRequest request;
    request.url = url;
    return request;
}

} // namespace

class TestHttpEngine final : public QObject {
    Q_OBJECT

private:
    SandboxFixture &sandbox() {
        if (!m_sandbox) {
            m_sandbox = std::make_unique<SandboxFixture>();
            if (!m_sandbox->start()) {
                qWarning("%s", qPrintable(m_sandbox->errorString()));
            }
        }
        return *m_sandbox;
    }
    std::unique_ptr<SandboxFixture> m_sandbox;

private Q_SLOTS:
    void resultArrivesInTheCallersThread() {
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setHandler([](TestExchange *exchange) {
            exchange->respond(200, R"({"ok":true})", {{"X-Answer", "42"}});
        });
        HttpEngine engine;
        QObject context;
        Collector collector;
        collector.attach(engine.send(get(server.url("/hello?x=1")), &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 30000);
        const HttpResult &result = collector.results.first();
        QCOMPARE(result.status, HttpResult::Status::Ok);
        QCOMPARE(result.httpCode, 200);
        QCOMPARE(result.body, QByteArray(R"({"ok":true})"));
        QCOMPARE(result.header("x-answer"), QByteArray("42"));
        QCOMPARE(collector.thread, QThread::currentThread());
        QCOMPARE(server.requests().first().target, QByteArray("/hello?x=1"));
        QVERIFY(server.requests().first().header("User-Agent").startsWith("forecast-dashboard/"));
    }

    void resultArrivesInAWorkerThreadsContext() {
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setHandler([](TestExchange *exchange) { exchange->respond(200, "{}"); });
        HttpEngine engine;
        QThread worker;
        worker.start();
        auto *context = new QObject;
        context->moveToThread(&worker);
        Collector collector;
        // send() from the worker thread, as a worker-owned object would.
        QMetaObject::invokeMethod(
            context, [&] { collector.attach(engine.send(get(server.url("/")), context), context); },
            Qt::BlockingQueuedConnection);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 30000);
        QCOMPARE(collector.thread, &worker);
        QMetaObject::invokeMethod(
            context, [context] { delete context; }, Qt::BlockingQueuedConnection);
        worker.quit();
        worker.wait();
    }

    void aDestroyedReceiverGetsNothing() {
        HttpTestServer server;
        QVERIFY(server.listen());
        QList<QPointer<TestExchange>> held;
        server.setHandler([&](TestExchange *exchange) { held.append(exchange); });
        HttpEngine engine;
        auto *context = new QObject;
        bool delivered = false;
        HttpCall *call = engine.send(get(server.url("/slow")), context);
        connect(call, &HttpCall::finished, this, [&] { delivered = true; });
        QTRY_COMPARE_WITH_TIMEOUT(held.size(), 1, 30000);
        delete context; // the call goes with it
        held.first()->respond(200, "{}");
        QTRY_COMPARE_WITH_TIMEOUT(engine.activeTransfers(), 0, 30000);
        QTest::qWait(200);
        QVERIFY(!delivered);
    }

    void totalTimeoutEndsAnUnansweredRequest() {
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setHandler([](TestExchange *) {}); // never answers
        HttpEngine engine;
        QObject context;
        Collector collector;
        HttpRequest request = get(server.url("/never"));
        request.timeout = std::chrono::milliseconds(500);
        collector.attach(engine.send(request, &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 30000);
        QCOMPARE(collector.results.first().status, HttpResult::Status::Timeout);
    }

    void connectionRefusedIsReported() {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        HttpEngine engine;
        QObject context;
        Collector collector;
        collector.attach(
            engine.send(get(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port))), &context),
            &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 30000);
        QCOMPARE(collector.results.first().status, HttpResult::Status::ConnectionRefused);
    }

    void retryAfterIsHonouredOn503() {
        HttpTestServer server;
        QVERIFY(server.listen());
        int seen = 0;
        server.setHandler([&](TestExchange *exchange) {
            if (++seen == 1) {
                exchange->respond(503, R"({"kind":"Status"})", {{"Retry-After", "1"}});
            } else {
                exchange->respond(200, R"({"second":true})");
            }
        });
        HttpEngine engine;
        QObject context;
        Collector collector;
        collector.attach(engine.send(get(server.url("/busy")), &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 30000);
        QCOMPARE(collector.results.first().httpCode, 200);
        QCOMPARE(collector.results.first().attempts, 2);
        QCOMPARE(server.requests().size(), 2);
        // The second attempt waited at least what the server asked for.
        QVERIFY(server.arrivalTimesMs().at(1) - server.arrivalTimesMs().at(0) >= 950);
    }

    void retriesAreBounded_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("expectedRequests");
        QTest::newRow("GET 503 retried maxRetries times") << QByteArray("GET") << 503 << 3;
        QTest::newRow("POST 429 retried (rejected before any work)")
            << QByteArray("POST") << 429 << 3;
        QTest::newRow("POST 503 not retried (not idempotent)") << QByteArray("POST") << 503 << 1;
        QTest::newRow("GET 500 without Retry-After not retried") << QByteArray("GET") << 500 << 1;
        QTest::newRow("GET 404 not retried") << QByteArray("GET") << 404 << 1;
    }

    void retriesAreBounded() {
        QFETCH(QByteArray, method);
        QFETCH(int, code);
        QFETCH(int, expectedRequests);
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setHandler([code](TestExchange *exchange) {
            exchange->respond(code, R"({"kind":"Status"})",
                              {{"Retry-After", code == 500 ? "" : "0"}});
        });
        HttpEngine engine;
        QObject context;
        Collector collector;
        HttpRequest request = get(server.url("/always"));
        request.method = method;
        request.body = "{}";
        request.maxRetries = 2;
        collector.attach(engine.send(request, &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 30000);
        QCOMPARE(collector.results.first().httpCode, code);
        QCOMPARE(server.requests().size(), expectedRequests);
        QCOMPARE(server.requests().first().method, method);
    }

    void gzipBodiesAreDecoded() {
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setHandler([](TestExchange *exchange) {
            if (exchange->request().header("Accept-Encoding").contains("gzip")) {
                exchange->respond(200, kGzipBody, {{"Content-Encoding", "gzip"}});
            } else {
                exchange->respond(200, "plain");
            }
        });
        HttpEngine engine;
        QObject context;
        Collector collector;
        collector.attach(engine.send(get(server.url("/gz")), &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 30000);
        QVERIFY(
            collector.results.first().body.startsWith("{\"compressed\":true,\"text\":\"abcabc"));

        // disable-compression in the kubeconfig: no gzip asked for.
        auto config = std::make_shared<RestConfig>();
        config->disableCompression = true;
        HttpRequest plain = get(server.url("/gz"));
        plain.config = config;
        collector.attach(engine.send(plain, &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 2, 30000);
        QCOMPARE(collector.results.at(1).body, QByteArray("plain"));
    }

    void streamLinesArriveSplitAndCancelIsFinal() {
        HttpTestServer server;
        QVERIFY(server.listen());
        QPointer<TestExchange> stream;
        server.setHandler([&](TestExchange *exchange) {
            stream = exchange;
            exchange->startStream(200);
            exchange->write("first\nsec");
        });
        HttpEngine engine;
        QObject context;
        Collector collector;
        HttpRequest request = get(server.url("/watch"));
        request.stream = true;
        request.splitLines = true;
        HttpCall *call = engine.send(request, &context);
        QPointer<HttpCall> guard(call);
        collector.attach(call, &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.lines.size(), 1, 30000);
        QCOMPARE(collector.lines.at(0), QByteArray("first"));
        stream->write("ond\r\nthird\n");
        QTRY_COMPARE_WITH_TIMEOUT(collector.lines.size(), 3, 30000);
        QCOMPARE(collector.lines.at(1), QByteArray("second"));
        QCOMPARE(collector.lines.at(2), QByteArray("third"));

        // Lines already on their way when cancel() runs are not delivered either.
        stream->write("late-1\nlate-2\n");
        QTest::qWait(100);
        call->cancel();
        const auto linesAtCancel = collector.lines.size();
        QSignalSpy gone(stream.data(), &TestExchange::disconnected);
        QTRY_VERIFY_WITH_TIMEOUT(!stream || !gone.isEmpty() || !stream->isConnected(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(engine.activeTransfers(), 0, 30000);
        QTest::qWait(200);
        QCOMPARE(collector.lines.size(), linesAtCancel);
        QVERIFY(collector.results.isEmpty());
    }

    void nonSuccessStreamDeliversTheStatusBody() {
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setHandler([](TestExchange *exchange) {
            exchange->respond(410, R"({"kind":"Status","code":410,"reason":"Expired"})");
        });
        HttpEngine engine;
        QObject context;
        Collector collector;
        HttpRequest request = get(server.url("/watch"));
        request.stream = true;
        request.splitLines = true;
        collector.attach(engine.send(request, &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 30000);
        QVERIFY(collector.lines.isEmpty());
        QCOMPARE(collector.results.first().httpCode, 410);
        QVERIFY(collector.results.first().body.contains("Expired"));
    }

    void impersonationAndProxyComeFromTheConfig() {
        HttpTestServer proxy;
        QVERIFY(proxy.listen());
        proxy.setHandler([](TestExchange *exchange) { exchange->respond(200, "{}"); });
        auto config = std::make_shared<RestConfig>();
        config->proxyUrl = proxy.url(QString());
        config->impersonateUser = QStringLiteral("jane");
        config->impersonateGroups = {QStringLiteral("devs"), QStringLiteral("ops")};
        config->impersonateExtra.insert(QStringLiteral("scopes/x"), {QStringLiteral("a")});
        HttpEngine engine;
        QObject context;
        Collector collector;
        HttpRequest request = get(QUrl(QStringLiteral("http://cluster.invalid:6443/api")));
        request.config = config;
        collector.attach(engine.send(request, &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 30000);
        QCOMPARE(collector.results.first().httpCode, 200);
        const TestRequest &seen = proxy.requests().first();
        QCOMPARE(seen.target, QByteArray("http://cluster.invalid:6443/api"));
        QCOMPARE(seen.header("Impersonate-User"), QByteArray("jane"));
        int groups = 0;
        for (const auto &[name, value] : seen.headers) {
            groups += name.compare("Impersonate-Group", Qt::CaseInsensitive) == 0 ? 1 : 0;
        }
        QCOMPARE(groups, 2);
        QCOMPARE(seen.header("Impersonate-Extra-scopes%2Fx"), QByteArray("a"));
    }

    void secretsAreRedactedInDebugOutput() {
        QCOMPARE(redactedHeaderLine("Authorization", "Bearer abc.def"),
                 QByteArray("Authorization: Bearer <redacted>"));
        QCOMPARE(redactedHeaderLine("authorization", "opaque"),
                 QByteArray("authorization: <redacted>"));
        QCOMPARE(redactedHeaderLine("Accept", "application/json"),
                 QByteArray("Accept: application/json"));
    }

    void retryAfterParsing_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("expectedMs");
        QTest::newRow("seconds") << QByteArray("3") << qint64(3000);
        QTest::newRow("http-date 10 s ahead")
            << QByteArray("Sun, 06 Nov 1994 08:49:47 GMT") << qint64(10000);
        QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    }

    void retryAfterParsing() {
        QFETCH(QByteArray, value);
        QFETCH(qint64, expectedMs);
        const QDateTime now(QDate(1994, 11, 6), QTime(8, 49, 37), Qt::UTC);
        const auto parsed = parseRetryAfter(value, now);
        QCOMPARE(parsed ? parsed->count() : -1, expectedMs);
    }

    void backoffGrowsWithJitterUpToTheCap() {
        Backoff low(std::chrono::milliseconds(800), std::chrono::milliseconds(30000),
                    [] { return 0.0; });
        Backoff high(std::chrono::milliseconds(800), std::chrono::milliseconds(30000),
                     [] { return 0.999; });
        QCOMPARE(low.next().count(), 400);
        QVERIFY(high.next().count() >= 799);
        for (int i = 0; i < 20; ++i) {
            QVERIFY(high.next().count() <= 30000);
        }
        QVERIFY(high.next().count() >= 29000);
    }

    // --- TLS against a real sandbox -------------------------------------------------

    void tlsVerifiesTheServerWithTheKubeconfigCa() {
        SandboxFixture &sb = sandbox();
        QVERIFY2(sb.isRunning(), qPrintable(sb.errorString()));
        HttpEngine engine;
        QObject context;
        Collector collector;
        HttpRequest request = get(sb.server().resolved(QUrl(QStringLiteral("/version"))));
        request.config = sb.restConfig();
        collector.attach(engine.send(request, &context), &context);

        // Without the CA the system trust store does not know the sandbox's issuer.
        auto noCa = sb.restConfig();
        noCa->caPem.clear();
        HttpRequest untrusted = request;
        untrusted.config = noCa;
        collector.attach(engine.send(untrusted, &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 2, 60000);
        const HttpResult &ok = collector.results.at(0).httpCode == 200 ? collector.results.at(0)
                                                                       : collector.results.at(1);
        const HttpResult &bad =
            &ok == &collector.results.at(0) ? collector.results.at(1) : collector.results.at(0);
        QCOMPARE(ok.httpCode, 200);
        QVERIFY(ok.body.contains("gitVersion"));
        QCOMPARE(bad.status, HttpResult::Status::TlsError);
        QVERIFY2(bad.errorString.contains(QLatin1String("certificate")),
                 qPrintable(bad.errorString));
    }

    void tlsServerNameAndInsecure_data() {
        QTest::addColumn<QString>("serverName");
        QTest::addColumn<bool>("insecure");
        QTest::addColumn<bool>("withCa");
        QTest::addColumn<int>("expectedStatus");
        QTest::newRow("tls-server-name in the certificate")
            << "localhost" << false << true << int(HttpResult::Status::Ok);
        QTest::newRow("tls-server-name not in the certificate")
            << "other.example" << false << true << int(HttpResult::Status::TlsError);
        QTest::newRow("insecure-skip-tls-verify without a CA")
            << QString() << true << false << int(HttpResult::Status::Ok);
    }

    void tlsServerNameAndInsecure() {
        QFETCH(QString, serverName);
        QFETCH(bool, insecure);
        QFETCH(bool, withCa);
        QFETCH(int, expectedStatus);
        SandboxFixture &sb = sandbox();
        QVERIFY2(sb.isRunning(), qPrintable(sb.errorString()));
        auto config = sb.restConfig();
        config->tlsServerName = serverName;
        config->insecureSkipTlsVerify = insecure;
        if (!withCa) {
            config->caPem.clear();
        }
        HttpEngine engine;
        QObject context;
        Collector collector;
        HttpRequest request = get(sb.server().resolved(QUrl(QStringLiteral("/api/v1/namespaces"))));
        request.config = config;
        collector.attach(engine.send(request, &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 60000);
        const HttpResult &result = collector.results.first();
        QCOMPARE(int(result.status), expectedStatus);
        if (result.status == HttpResult::Status::Ok) {
            QCOMPARE(result.httpCode, 200); // the token was sent and accepted
        }
    }

    void unauthorizedRefreshesCredentialsOnceOnTheNetworkThread() {
        SandboxFixture &sb = sandbox();
        QVERIFY2(sb.isRunning(), qPrintable(sb.errorString()));
        auto provider = std::make_shared<RotatingTokenProvider>("stale-token", sb.token());
        auto config = sb.restConfig();
        config->credentials = provider;
        HttpEngine engine;
        QObject context;
        Collector collector;
        HttpRequest request = get(sb.server().resolved(QUrl(QStringLiteral("/api/v1/namespaces"))));
        request.config = config;
        collector.attach(engine.send(request, &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 1, 60000);
        QCOMPARE(collector.results.first().httpCode, 200);
        QCOMPARE(provider->invalidations.load(), 1);
        QCOMPARE(provider->gets.load(), 2);
        QVERIFY(provider->calledOnThread.load() != QThread::currentThread());

        // A credential that cannot be refreshed: the 401 is final.
        auto fixed = sb.restConfig();
        fixed->credentials = std::make_shared<StaticTokenProvider>("wrong");
        request.config = fixed;
        collector.attach(engine.send(request, &context), &context);
        QTRY_COMPARE_WITH_TIMEOUT(collector.results.size(), 2, 60000);
        QCOMPARE(collector.results.at(1).httpCode, 401);
        QCOMPARE(collector.results.at(1).attempts, 1);
    }

    void cleanupTestCase() { m_sandbox.reset(); }
};

QTEST_GUILESS_MAIN(TestHttpEngine)
#include "test_http_engine.moc"
