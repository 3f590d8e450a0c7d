// Informers against a real sandbox: creates, updates and deletes reach the cache (and only
// the selected objects do); changes are batched per event-loop turn; a sandbox restart is
// survived (reconnecting, then connected, and the cache catches up); a watch from a
// resourceVersion older than the server's history relists. Plus ObjectCache's net-change
// rules as a unit table.

#include "kube/informer.h"
#include "kube/kube_client.h"
#include "kube/resource_registry.h"
#include "net/http_engine.h"
#include "support/kube_wait.h"
#include "support/sandbox_fixture.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace dashboard;
using namespace dashboard::test;

namespace {

QJsonObject configMap(const QString &name, const QString &suite, const QString &value = {}) {
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), name},
                     {QStringLiteral("labels"), QJsonObject{{QStringLiteral("suite"), suite}}}}},
        {QStringLiteral("data"), QJsonObject{{QStringLiteral("key"), value}}}};
}

QJsonObject object(const QString &ns, const QString &name, const QString &rv) {
    return QJsonObject{
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("namespace"), ns},
                                                 {QStringLiteral("name"), name},
                                                 {QStringLiteral("resourceVersion"), rv}}}};
}

// Every change signal, flattened.
struct ChangeLog {
    int signals = 0;
    QStringList added, updated, removed;
    void attach(Informer &informer) {
        QObject::connect(&informer, &Informer::changed, &informer,
                         [this](const QStringList &a, const QStringList &u, const QStringList &r) {
                             ++signals;
                             added += a;
                             updated += u;
                             removed += r;
                         });
    }
};

} // namespace

class TestInformer final : public QObject {
    Q_OBJECT

private:
    KubeResult createConfigMap(const QString &name, const QString &suite,
                               const QString &value = {}) {
        return waitForResult([&](KubeCallback done) {
            return m_client->create(resources::configMaps(), m_ns, configMap(name, suite, value),
                                    {}, this, done);
        });
    }
    InformerOptions optionsFor(const QString &suite) const {
        InformerOptions options;
        options.resource = resources::configMaps();
        options.namespaceName = m_ns;
        options.labelSelector = QStringLiteral("suite=") + suite;
        options.pageSize = 2; // several pages even for a handful of objects
        options.backoffInitial = std::chrono::milliseconds(200);
        options.backoffCap = std::chrono::milliseconds(2000);
        return options;
    }
    QString key(const QString &name) const { return m_ns + QLatin1Char('/') + name; }

private Q_SLOTS:
    void cacheChangesAreNetPerTurn() {
        ObjectCache cache;
        cache.upsert(object("ns", "a", "1"));
        cache.upsert(object("ns", "b", "2"));
        cache.remove(object("ns", "a", "3")); // came and went: no change at all
        cache.upsert(object("ns", "b", "4")); // added then modified: still added
        CacheChanges first = cache.takeChanges();
        QCOMPARE(first.added, QStringList{QStringLiteral("ns/b")});
        QVERIFY(first.updated.isEmpty() && first.removed.isEmpty());

        cache.remove(object("ns", "b", "5"));
        cache.upsert(object("ns", "b", "6")); // deleted and re-created: an update
        CacheChanges second = cache.takeChanges();
        QCOMPARE(second.updated, QStringList{QStringLiteral("ns/b")});
        QVERIFY(second.added.isEmpty() && second.removed.isEmpty());

        // A relist reports only real differences.
        cache.upsert(object("ns", "c", "7"));
        cache.takeChanges();
        cache.replaceAll({object("ns", "b", "6"), object("ns", "c", "8"), object("ns", "d", "9")});
        CacheChanges third = cache.takeChanges();
        QCOMPARE(third.added, QStringList{QStringLiteral("ns/d")});
        QCOMPARE(third.updated, QStringList{QStringLiteral("ns/c")});
        QVERIFY(third.removed.isEmpty());
        cache.replaceAll({object("ns", "d", "9")});
        QCOMPARE(cache.takeChanges().removed,
                 (QStringList{QStringLiteral("ns/b"), QStringLiteral("ns/c")}));
        QCOMPARE(cache.size(), 1);
    }

    void initTestCase() {
        // Time scale 1: the sandbox sends watch bookmarks once a minute, so an informer's
        // resourceVersion predictably lags writes to other resources (see relist test).
        m_sandbox = std::make_unique<SandboxFixture>(SandboxOptions{1, 90000});
        QVERIFY2(m_sandbox->start(), qPrintable(m_sandbox->errorString()));
        m_client = std::make_unique<KubeClient>(m_engine, m_sandbox->restConfig());
        m_ns = m_sandbox->namespaceName();
    }

    void seesCreatesUpdatesAndDeletesOfSelectedObjects() {
        QVERIFY(createConfigMap(QStringLiteral("pre-1"), QStringLiteral("crud")).ok());
        QVERIFY(createConfigMap(QStringLiteral("pre-2"), QStringLiteral("crud")).ok());
        QVERIFY(createConfigMap(QStringLiteral("pre-3"), QStringLiteral("crud")).ok());
        QVERIFY(createConfigMap(QStringLiteral("other"), QStringLiteral("not-selected")).ok());

        ChangeLog log;
        Informer informer(*m_client, optionsFor(QStringLiteral("crud")));
        log.attach(informer);
        QSignalSpy synced(&informer, &Informer::syncedChanged);
        informer.start();
        QTRY_COMPARE_WITH_TIMEOUT(synced.size(), 1, 60000);
        QVERIFY(informer.isSynced());
        QCOMPARE(informer.size(), 3); // listed over two pages of 2
        QVERIFY(!informer.contains(key(QStringLiteral("other"))));
        QCOMPARE(
            informer.item(key(QStringLiteral("pre-1"))).value(QLatin1String("kind")).toString(),
            QStringLiteral("ConfigMap"));
        QTRY_COMPARE_WITH_TIMEOUT(informer.state(), Informer::ConnectionState::Connected, 60000);

        QVERIFY(createConfigMap(QStringLiteral("new"), QStringLiteral("crud"), QStringLiteral("1"))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(informer.contains(key(QStringLiteral("new"))), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(log.added.contains(key(QStringLiteral("new"))), 60000);

        auto patched = waitForResult([&](KubeCallback done) {
            return m_client->patch(resources::configMaps(), m_ns, QStringLiteral("new"),
                                   PatchType::Merge, R"({"data":{"key":"2"}})", {}, this, done);
        });
        QVERIFY(patched.ok());
        QTRY_COMPARE_WITH_TIMEOUT(informer.item(key(QStringLiteral("new")))
                                      .value(QLatin1String("data"))
                                      .toObject()
                                      .value(QLatin1String("key"))
                                      .toString(),
                                  QStringLiteral("2"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(log.updated.contains(key(QStringLiteral("new"))), 60000);

        QByteArray output;
        QVERIFY2(m_sandbox->kubectl({QStringLiteral("-n"), m_ns, QStringLiteral("delete"),
                                     QStringLiteral("configmap"), QStringLiteral("pre-2")},
                                    &output),
                 output.constData());
        QTRY_VERIFY_WITH_TIMEOUT(!informer.contains(key(QStringLiteral("pre-2"))), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(log.removed.contains(key(QStringLiteral("pre-2"))), 60000);
        QVERIFY(!log.added.contains(key(QStringLiteral("other"))));
    }

    void fieldSelectorNarrowsTheCache() {
        InformerOptions options = optionsFor(QStringLiteral("crud"));
        options.labelSelector.clear();
        options.fieldSelector = QStringLiteral("metadata.name=pre-1");
        Informer informer(*m_client, options);
        informer.start();
        QTRY_VERIFY_WITH_TIMEOUT(informer.isSynced(), 60000);
        QCOMPARE(informer.items().keys(), QStringList{key(QStringLiteral("pre-1"))});
    }

    // The keep predicate narrows where selectors cannot (the dashboard's events): rejected
    // objects never enter the cache, and one that stops matching leaves it.
    void keepPredicateNarrowsTheCacheAndFollowsChanges() {
        QVERIFY(
            createConfigMap(QStringLiteral("keep-a"), QStringLiteral("keep"), QStringLiteral("yes"))
                .ok());
        QVERIFY(
            createConfigMap(QStringLiteral("keep-b"), QStringLiteral("keep"), QStringLiteral("no"))
                .ok());
        InformerOptions options = optionsFor(QStringLiteral("keep"));
        options.keep = [](const QJsonObject &object) {
            return object.value(QLatin1String("data")).toObject().value(QLatin1String("key")) ==
                   QLatin1String("yes");
        };
        Informer informer(*m_client, options);
        informer.start();
        QTRY_VERIFY_WITH_TIMEOUT(informer.isSynced(), 60000);
        QCOMPARE(informer.items().keys(), QStringList{key(QStringLiteral("keep-a"))});
        QTRY_COMPARE_WITH_TIMEOUT(informer.state(), Informer::ConnectionState::Connected, 60000);

        auto patch = [&](const QString &name, const char *body) {
            return waitForResult([&](KubeCallback done) {
                return m_client->patch(resources::configMaps(), m_ns, name, PatchType::Merge, body,
                                       {}, this, done);
            });
        };
        QVERIFY(patch(QStringLiteral("keep-b"), R"({"data":{"key":"yes"}})").ok());
        QTRY_VERIFY_WITH_TIMEOUT(informer.contains(key(QStringLiteral("keep-b"))), 60000);
        QVERIFY(patch(QStringLiteral("keep-a"), R"({"data":{"key":"no"}})").ok());
        QTRY_VERIFY_WITH_TIMEOUT(!informer.contains(key(QStringLiteral("keep-a"))), 60000);
    }

    void changesAreBatchedPerEventLoopTurn() {
        ChangeLog log;
        Informer informer(*m_client, optionsFor(QStringLiteral("batch")));
        log.attach(informer);
        informer.start();
        QTRY_COMPARE_WITH_TIMEOUT(informer.state(), Informer::ConnectionState::Connected, 60000);
        QTest::qWait(200);
        // kubectl runs while this thread does not process events: the watch events pile up
        // on the network thread and reach the informer together.
        QByteArray manifest;
        for (int i = 0; i < 6; ++i) {
            manifest +=
                QStringLiteral("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: batch-%1\n"
                               "  labels: {suite: batch}\n---\n")
                    .arg(i)
                    .toUtf8();
        }
        QProcess kubectl;
        kubectl.setProcessChannelMode(QProcess::MergedChannels);
        kubectl.start(QStringLiteral("kubectl"),
                      {QStringLiteral("--kubeconfig"), m_sandbox->kubeconfigPath(),
                       QStringLiteral("-n"), m_ns, QStringLiteral("create"), QStringLiteral("-f"),
                       QStringLiteral("-")});
        QVERIFY(kubectl.waitForStarted());
        kubectl.write(manifest);
        kubectl.closeWriteChannel();
        QVERIFY(kubectl.waitForFinished(120000));
        QVERIFY2(kubectl.exitCode() == 0, kubectl.readAll().constData());
        QThread::msleep(3000);
        QTRY_COMPARE_WITH_TIMEOUT(log.added.size(), 6, 60000);
        QVERIFY2(log.signals < 6, qPrintable(QStringLiteral("%1 signals").arg(log.signals)));
    }

    void survivesASandboxRestart() {
        QList<Informer::ConnectionState> states;
        QString reconnectReason;
        Informer informer(*m_client, optionsFor(QStringLiteral("restart")));
        connect(&informer, &Informer::connectionStateChanged, &informer,
                [&](Informer::ConnectionState state, const QString &reason) {
                    states.append(state);
                    if (state == Informer::ConnectionState::Reconnecting) {
                        reconnectReason = reason;
                    }
                });
        QVERIFY(createConfigMap(QStringLiteral("before"), QStringLiteral("restart")).ok());
        informer.start();
        QTRY_COMPARE_WITH_TIMEOUT(informer.state(), Informer::ConnectionState::Connected, 60000);
        QCOMPARE(informer.size(), 1);

        QVERIFY2(m_sandbox->stop(), qPrintable(m_sandbox->errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(informer.state(), Informer::ConnectionState::Reconnecting, 60000);
        QVERIFY2(reconnectReason.contains(QLatin1String("connection refused")) ||
                     reconnectReason.contains(QLatin1String("Lost the connection")),
                 qPrintable(reconnectReason));
        QVERIFY(informer.isSynced()); // the cache stays readable while reconnecting
        QCOMPARE(informer.size(), 1);

        QVERIFY2(m_sandbox->start(), qPrintable(m_sandbox->errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(informer.state(), Informer::ConnectionState::Connected, 120000);
        QVERIFY(createConfigMap(QStringLiteral("after"), QStringLiteral("restart")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(informer.contains(key(QStringLiteral("after"))), 60000);
        QVERIFY(informer.contains(key(QStringLiteral("before"))));
        QVERIFY(states.contains(Informer::ConnectionState::Reconnecting));
        QCOMPARE(states.last(), Informer::ConnectionState::Connected);
    }

    void relistsAfterGoneWhileRunning() {
        Informer informer(*m_client, optionsFor(QStringLiteral("relist-live")));
        QVERIFY(createConfigMap(QStringLiteral("kept"), QStringLiteral("relist-live")).ok());
        informer.start();
        QTRY_COMPARE_WITH_TIMEOUT(informer.state(), Informer::ConnectionState::Connected, 60000);
        QCOMPARE(informer.listCount(), 1);
        // A write elsewhere moves the server's version past the informer's (no bookmark at
        // time scale 1 for a minute); the restart's new watch history starts after it.
        auto secret = waitForResult([&](KubeCallback done) {
            QJsonObject s{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                          {QStringLiteral("kind"), QStringLiteral("Secret")},
                          {QStringLiteral("metadata"),
                           QJsonObject{{QStringLiteral("name"), QStringLiteral("bump-live")}}}};
            return m_client->create(resources::secrets(), m_ns, s, {}, this, done);
        });
        QVERIFY(secret.ok());
        QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(informer.listCount() >= 2, 120000);
        QTRY_COMPARE_WITH_TIMEOUT(informer.state(), Informer::ConnectionState::Connected, 60000);
        QVERIFY(createConfigMap(QStringLiteral("later"), QStringLiteral("relist-live")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(informer.contains(key(QStringLiteral("later"))), 60000);
        QVERIFY(informer.contains(key(QStringLiteral("kept"))));
    }

    void cleanupTestCase() {
        m_client.reset();
        m_sandbox.reset();
    }

private:
    HttpEngine m_engine;
    std::unique_ptr<SandboxFixture> m_sandbox;
    std::unique_ptr<KubeClient> m_client;
    QString m_ns;
};

QTEST_GUILESS_MAIN(TestInformer)
#include "test_informer.moc"
