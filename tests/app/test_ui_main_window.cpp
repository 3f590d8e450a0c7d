// The main window against a real forecast-sandbox running the bundled manifests (issue 6):
// the pods table shows the workload's pods as Ready; the HPA panel matches the HPA object;
// a deleted pod disappears and its replacement appears, without losing the selection, and
// the events follow (the replacement's in, the deleted pod's out, another pod's never); the
// disconnect banner appears when the sandbox stops and clears when it is back; a missing
// Deployment or namespace, a broken or missing kubeconfig, an unreachable server and
// rejected credentials each show their own message; layout is remembered; the screenshot
// helper (and `forecast-dashboard --screenshot`, when built) writes a non-blank PNG; a
// dark palette gives light text.

#include "core/domain/hpa_summary.h"
#include "core/domain/pod_table_rules.h"
#include "support/sandbox_fixture.h"
#include "ui/banner.h"
#include "ui/connection_bar.h"
#include "ui/events_model.h"
#include "ui/hpa_chart.h"
#include "ui/hpa_panel.h"
#include "ui/main_window.h"
#include "ui/pods_filter_proxy.h"
#include "ui/pods_table_model.h"
#include "ui/problem_panel.h"
#include "ui/screenshot.h"
#include "ui/workload_feed.h"
#include "ui/workload_header.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QProcess>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace dashboard;
using namespace dashboard::test;

namespace {

const QString kNamespace = QStringLiteral("retail-forecast");
const QString kDeployment = QStringLiteral("retail-forecast-api");
constexpr int kLong = 180000; // pods start real processes on a shared, loaded machine

QStringList podNames(const PodsTableModel *model) {
    QStringList names;
    for (int row = 0; row < model->rowCount(); ++row)
        names << model->pod(row).name;
    names.sort();
    return names;
}

// The forecast-dashboard executable of this build tree (it may not be built).
QString dashboardBinary() {
#ifdef RF_BIN_DIR
    return QStringLiteral(RF_BIN_DIR "/forecast-dashboard");
#else
    return QCoreApplication::applicationDirPath() + QStringLiteral("/forecast-dashboard");
#endif
}

// The objects the window's events table is about ("retail-forecast-api-…-abcde").
QSet<QString> eventObjects(const MainWindow &window) {
    QSet<QString> names;
    for (int row = 0; row < window.eventsModel()->rowCount(); ++row)
        names.insert(window.eventsModel()->event(row).objectName);
    return names;
}

bool allReady(const PodsTableModel *model, int expected) {
    if (model->rowCount() != expected)
        return false;
    for (int row = 0; row < model->rowCount(); ++row) {
        const PodPresentation &pod = model->pod(row);
        if (pod.terminating || pod.status != QLatin1String("Running") ||
            pod.readyContainers != pod.totalContainers || pod.totalContainers == 0)
            return false;
    }
    return true;
}

QPalette darkPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x23, 0x25, 0x29));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1b, 0x1d, 0x21));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x29, 0x2e));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x2d, 0x30, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x2d, 0x30, 0x35));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    return p;
}

} // namespace

class TestUiMainWindow final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<SandboxFixture> m_sandbox;
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_files;

    WorkloadTarget target(const QString &deployment = kDeployment,
                          const QString &ns = kNamespace) const {
        return {m_sandbox->kubeconfigPath(), {}, ns, deployment};
    }

    // The sandbox's kubeconfig with one string replaced (a port, a token).
    QString kubeconfigWith(const QString &name, const QString &from, const QString &to) const {
        QFile in(m_sandbox->kubeconfigPath());
        if (!in.open(QIODevice::ReadOnly))
            return {};
        QString text = QString::fromUtf8(in.readAll());
        text.replace(from, to);
        const QString path = m_files.filePath(name);
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly))
            return {};
        out.write(text.toUtf8());
        return path;
    }

    QJsonObject kubectlJson(const QStringList &args) const {
        QByteArray output;
        if (!m_sandbox->kubectl(args + QStringList{QStringLiteral("-o"), QStringLiteral("json")},
                                &output))
            return {};
        return QJsonDocument::fromJson(output).object();
    }

    // Waits until the window shows every desired pod Ready.
    bool waitForReadyWorkload(MainWindow &window, int timeoutMs = kLong) {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            const QJsonObject d = window.feed() ? window.feed()->deployment() : QJsonObject();
            const int desired = d.value(QLatin1String("spec"))
                                    .toObject()
                                    .value(QLatin1String("replicas"))
                                    .toInt(-1);
            if (desired > 0 && allReady(window.podsModel(), desired))
                return true;
            QTest::qWait(200);
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        m_sandbox = std::make_unique<SandboxFixture>();
        QVERIFY2(m_sandbox->start(), qPrintable(m_sandbox->errorString()));
        QByteArray output;
        const bool applied = m_sandbox->kubectl({QStringLiteral("apply"), QStringLiteral("-f"),
                                                 QStringLiteral(RF_SOURCE_DIR "/manifests/k8s/")},
                                                &output);
        QVERIFY2(applied, output.constData());
    }

    void podsTableShowsTheWorkloadsPodsReady() {
        MainWindow window;
        window.open(target());
        window.show();
        QVERIFY(waitForReadyWorkload(window));
        QVERIFY(!window.isShowingProblem());

        const QJsonObject pods = kubectlJson(
            {QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("-n"), kNamespace,
             QStringLiteral("-l"), QStringLiteral("app.kubernetes.io/name=") + kDeployment});
        QStringList expected;
        for (const QJsonValue &pod : pods.value(QLatin1String("items")).toArray()) {
            const QJsonObject meta = pod.toObject().value(QLatin1String("metadata")).toObject();
            if (!meta.contains(QLatin1String("deletionTimestamp")))
                expected << meta.value(QLatin1String("name")).toString();
        }
        expected.sort();
        QTRY_COMPARE_WITH_TIMEOUT(podNames(window.podsModel()), expected, 30000);
        for (int row = 0; row < window.podsModel()->rowCount(); ++row) {
            const QString ready =
                window.podsModel()->index(row, int(PodColumn::Ready)).data().toString();
            QCOMPARE(ready, QStringLiteral("1/1"));
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            window.header()->rolloutText().contains(QLatin1String("successfully rolled out")),
            kLong);
        QCOMPARE(window.header()->name(), kDeployment);
        QCOMPARE(window.header()->figure(WorkloadHeader::tr("Ready")),
                 QString::number(expected.size()));
        QVERIFY(window.podsPlaceholder().isEmpty());
        QVERIFY(window.isSettled());
        QCOMPARE(window.connectionBar()->state(), ConnectionBar::State::Connected);
    }

    void filterNarrowsAndExplainsAnEmptyResult() {
        MainWindow window;
        window.open(target());
        window.show();
        QVERIFY(waitForReadyWorkload(window));
        auto *filter = window.findChild<QLineEdit *>(QStringLiteral("podFilter"));
        QVERIFY(filter);
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, QStringLiteral("no-pod-is-called-this"));
        QCOMPARE(window.podsProxy()->rowCount(), 0);
        QVERIFY2(window.podsPlaceholder().contains(QLatin1String("no-pod-is-called-this")),
                 qPrintable(window.podsPlaceholder()));
        QTest::keyClick(filter, Qt::Key_Escape);
        QCOMPARE(window.podsProxy()->rowCount(), window.podsModel()->rowCount());
        QVERIFY(window.podsPlaceholder().isEmpty());
    }

    void hpaPanelMatchesTheHpaObject() {
        MainWindow window;
        window.open(target());
        window.show();
        QVERIFY(waitForReadyWorkload(window));
        // The HPA's status moves on its own; compare against a fresh read until both agree.
        QDeadlineTimer deadline(kLong);
        QString mismatch;
        for (;;) {
            const QJsonObject hpa = kubectlJson({QStringLiteral("get"), QStringLiteral("hpa"),
                                                 kDeployment, QStringLiteral("-n"), kNamespace});
            QVERIFY(!hpa.isEmpty());
            const HpaSummary s = summarizeHpa(hpa, QDateTime::currentDateTimeUtc());
            const HpaPanel *panel = window.hpaPanel();
            mismatch.clear();
            if (!panel->hasAutoscaler())
                mismatch = QStringLiteral("no autoscaler shown");
            else if (panel->figure(HpaPanel::tr("Min")) != s.minReplicasText)
                mismatch = QStringLiteral("min");
            else if (panel->figure(HpaPanel::tr("Max")) != QString::number(s.maxReplicas))
                mismatch = QStringLiteral("max");
            else if (panel->figure(HpaPanel::tr("Current")) != QString::number(s.currentReplicas))
                mismatch = QStringLiteral("current");
            else if (panel->figure(HpaPanel::tr("Desired")) != QString::number(s.desiredReplicas))
                mismatch = QStringLiteral("desired");
            else if (panel->targetsText() != s.targets)
                mismatch = QStringLiteral("targets %1 vs %2").arg(panel->targetsText(), s.targets);
            else if (panel->metricTexts().size() != s.metrics.size())
                mismatch = QStringLiteral("metric count");
            if (mismatch.isEmpty() && s.currentReplicas > 0)
                break;
            QVERIFY2(!deadline.hasExpired(), qPrintable(mismatch));
            QTest::qWait(500);
        }
        QCOMPARE(window.hpaPanel()->figure(HpaPanel::tr("Min")), QStringLiteral("2"));
        QCOMPARE(window.hpaPanel()->figure(HpaPanel::tr("Max")), QStringLiteral("10"));
        const QStringList metrics = window.hpaPanel()->metricTexts();
        QVERIFY2(metrics.first().startsWith(QLatin1String("cpu")), qPrintable(metrics.join(u';')));
        QVERIFY2(metrics.first().contains(QLatin1String("70%")), qPrintable(metrics.join(u';')));
        QVERIFY2(metrics.last().contains(QLatin1String("80%")), qPrintable(metrics.join(u';')));
        QVERIFY(!window.hpaPanel()->title().isEmpty());
        QVERIFY(window.hpaPanel()->chart()->replicaPointCount() > 0);
        QVERIFY(!window.hpaHistory().isEmpty());
    }

    void deletedPodIsReplacedAndSelectionKept() {
        MainWindow window;
        window.open(target());
        window.show();
        QVERIFY(waitForReadyWorkload(window));
        const int desired = window.podsModel()->rowCount();
        QVERIFY(desired >= 2);
        const QStringList before = podNames(window.podsModel());
        const QString victim = before.first();
        const QString kept = before.last();

        // Select the pod that stays; live updates must not lose it.
        QTableView *view = window.podsView();
        const int keptRow = window.podsProxy()
                                ->mapFromSource(window.podsModel()->index(
                                    window.podsModel()->rowOfKey(kNamespace + u'/' + kept), 0))
                                .row();
        view->selectRow(keptRow);
        QByteArray output;
        QVERIFY2(
            m_sandbox->kubectl({QStringLiteral("delete"), QStringLiteral("pod"), victim,
                                QStringLiteral("-n"), kNamespace, QStringLiteral("--wait=false")},
                               &output),
            output.constData());
        QTRY_VERIFY_WITH_TIMEOUT(!podNames(window.podsModel()).contains(victim), kLong);
        QVERIFY(waitForReadyWorkload(window));
        const QStringList after = podNames(window.podsModel());
        QCOMPARE(after.size(), desired);
        QVERIFY(after.contains(kept));
        QStringList replacements = after;
        for (const QString &name : before)
            replacements.removeAll(name);
        QCOMPARE(replacements.size(), 1);

        const QModelIndexList selected = view->selectionModel()->selectedRows(int(PodColumn::Name));
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data().toString(), kept);

        // The replacement's events (each pod's are watched on their own) reach the events
        // table; the deleted pod's leave it.
        QTRY_VERIFY_WITH_TIMEOUT(eventObjects(window).contains(replacements.first()), kLong);
        QTRY_VERIFY_WITH_TIMEOUT(!eventObjects(window).contains(victim), 30000);
    }

    void eventsAreOnlyTheWorkloads() {
        // A pod of nobody's in the same namespace has events of its own; they stay out.
        QByteArray output;
        QVERIFY2(m_sandbox->kubectl({QStringLiteral("run"), QStringLiteral("bystander"),
                                     QStringLiteral("-n"), kNamespace,
                                     QStringLiteral("--image=registry.k8s.io/pause:3.9")},
                                    &output),
                 output.constData());
        QTRY_VERIFY_WITH_TIMEOUT(
            !kubectlJson({QStringLiteral("get"), QStringLiteral("events"), QStringLiteral("-n"),
                          kNamespace, QStringLiteral("--field-selector"),
                          QStringLiteral("involvedObject.name=bystander")})
                 .value(QLatin1String("items"))
                 .toArray()
                 .isEmpty(),
            kLong);

        MainWindow window;
        window.open(target());
        window.show();
        QVERIFY(waitForReadyWorkload(window));
        QTRY_VERIFY_WITH_TIMEOUT(window.eventsModel()->rowCount() > 0, 30000);
        QSet<QString> about{QStringLiteral("Deployment/") + kDeployment};
        for (const QString &pod : podNames(window.podsModel()))
            about.insert(QStringLiteral("Pod/") + pod);
        for (int row = 0; row < window.eventsModel()->rowCount(); ++row) {
            const EventRow &event = window.eventsModel()->event(row);
            const QString object = event.objectKind + u'/' + event.objectName;
            QVERIFY2(event.objectName != QLatin1String("bystander"), qPrintable(object));
            QVERIFY2(about.contains(object) || event.objectName.startsWith(kDeployment + u'-') ||
                         event.objectKind == QLatin1String("HorizontalPodAutoscaler"),
                     qPrintable(object));
        }
        QVERIFY2(m_sandbox->kubectl({QStringLiteral("delete"), QStringLiteral("pod"),
                                     QStringLiteral("bystander"), QStringLiteral("-n"), kNamespace,
                                     QStringLiteral("--wait=false")},
                                    &output),
                 output.constData());
    }

    void disconnectBannerAppearsAndClears() {
        MainWindow window;
        window.open(target());
        window.show();
        QVERIFY(waitForReadyWorkload(window));
        QVERIFY(!window.banner()->isShown());

        QVERIFY2(m_sandbox->stop(), qPrintable(m_sandbox->errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(window.banner()->isShown(), 60000);
        QVERIFY(!window.banner()->reason().isEmpty());
        QVERIFY2(window.bannerText().contains(QLatin1String("reconnects automatically")),
                 qPrintable(window.bannerText()));
        QCOMPARE(window.connectionBar()->state(), ConnectionBar::State::Reconnecting);
        QVERIFY(!window.isShowingProblem()); // the last data stays on screen under the banner
        QVERIFY(window.podsModel()->rowCount() > 0);

        QVERIFY2(m_sandbox->start(), qPrintable(m_sandbox->errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(!window.banner()->isShown(), kLong);
        QTRY_COMPARE_WITH_TIMEOUT(window.connectionBar()->state(), ConnectionBar::State::Connected,
                                  kLong);
        // The view catches up: a change made after the reconnect shows.
        QByteArray output;
        QVERIFY2(m_sandbox->kubectl({QStringLiteral("annotate"), QStringLiteral("deployment"),
                                     kDeployment, QStringLiteral("-n"), kNamespace,
                                     QStringLiteral("dashboard-test/reconnected=yes"),
                                     QStringLiteral("--overwrite")},
                                    &output),
                 output.constData());
        QTRY_VERIFY_WITH_TIMEOUT(window.feed()
                                     ->deployment()
                                     .value(QLatin1String("metadata"))
                                     .toObject()
                                     .value(QLatin1String("annotations"))
                                     .toObject()
                                     .contains(QLatin1String("dashboard-test/reconnected")),
                                 kLong);
        QVERIFY(waitForReadyWorkload(window));
    }

    void missingDeploymentSaysSo() {
        MainWindow window;
        window.open(target(QStringLiteral("no-such-deployment")));
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.isShowingProblem(), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->problem().kind,
                                  WindowProblem::Kind::DeploymentMissing, 60000);
        QVERIFY(window.problemPanel()->text().contains(QLatin1String("no-such-deployment")));
        QVERIFY(window.problemPanel()->text().contains(kNamespace));
        QVERIFY(window.isSettled());
    }

    void missingNamespaceSaysSo() {
        MainWindow window;
        window.open(target(kDeployment, QStringLiteral("no-such-namespace")));
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->problem().kind,
                                  WindowProblem::Kind::NamespaceMissing, 60000);
        QVERIFY(window.isShowingProblem());
        QVERIFY(window.problemPanel()->text().contains(QLatin1String("no-such-namespace")));
    }

    void brokenKubeconfigSaysSo() {
        const QString path = m_files.filePath(QStringLiteral("broken.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("apiVersion: v1\nkind: Config\nclusters:\n  - name: x\n   cluster: [unclosed\n");
        file.close();
        MainWindow window;
        window.open({path, {}, {}, kDeployment});
        window.show();
        QVERIFY(window.isShowingProblem());
        QCOMPARE(window.session()->problem().kind, WindowProblem::Kind::BrokenKubeconfig);
        QVERIFY2(window.problemPanel()->text().contains(path),
                 qPrintable(window.problemPanel()->text()));
        QCOMPARE(window.connectionBar()->state(), ConnectionBar::State::Failed);
        QVERIFY(window.isSettled());
    }

    void missingKubeconfigFileSaysSo() {
        const QString path = m_files.filePath(QStringLiteral("does-not-exist.yaml"));
        MainWindow window;
        window.open({path, {}, {}, kDeployment});
        QVERIFY(window.isShowingProblem());
        QCOMPARE(window.session()->problem().kind, WindowProblem::Kind::BrokenKubeconfig);
        QVERIFY2(window.problemPanel()->text().contains(path),
                 qPrintable(window.problemPanel()->text()));
    }

    void unknownContextSaysSo() {
        MainWindow window;
        window.open(
            {m_sandbox->kubeconfigPath(), QStringLiteral("no-such-context"), {}, kDeployment});
        QVERIFY(window.isShowingProblem());
        QCOMPARE(window.session()->problem().kind, WindowProblem::Kind::BrokenKubeconfig);
        QVERIFY2(window.problemPanel()->text().contains(QLatin1String("no-such-context")),
                 qPrintable(window.problemPanel()->text()));
    }

    void unreachableServerSaysSo() {
        // Port 1 on loopback: nothing listens there.
        const QString path =
            kubeconfigWith(QStringLiteral("unreachable.yaml"),
                           QStringLiteral(":%1").arg(m_sandbox->port()), QStringLiteral(":1"));
        QVERIFY(!path.isEmpty());
        MainWindow window;
        window.open({path, {}, kNamespace, kDeployment});
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->problem().kind,
                                  WindowProblem::Kind::Unreachable, 60000);
        QVERIFY(window.isShowingProblem());
        QVERIFY(!window.session()->problem().details.isEmpty());
    }

    void rejectedCredentialsSaySo() {
        const QString path = kubeconfigWith(QStringLiteral("bad-token.yaml"),
                                            QString::fromLatin1(m_sandbox->token()),
                                            QStringLiteral("not-the-token"));
        QVERIFY(!path.isEmpty());
        MainWindow window;
        window.open({path, {}, kNamespace, kDeployment});
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->problem().kind,
                                  WindowProblem::Kind::Unauthorized, 60000);
        QVERIFY(window.problemPanel()->text().contains(QLatin1String("401")));
    }

    void sandboxFailureSaysSo() {
        MainWindow window;
        window.showProblem(sandboxProblem(
            QStringLiteral("forecast-sandbox was not found next to forecast-dashboard")));
        QVERIFY(window.isShowingProblem());
        QVERIFY(window.problemPanel()->text().contains(
            QLatin1String("forecast-sandbox was not found")));
        QVERIFY(window.isSettled());
    }

    void layoutIsRemembered() {
        QList<int> sizes;
        {
            MainWindow window;
            window.resize(1280, 800);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            auto *splitter = window.findChild<QSplitter *>(QStringLiteral("topSplitter"));
            QVERIFY(splitter);
            splitter->setSizes({900, 340});
            sizes = splitter->sizes();
            window.podsView()->setColumnWidth(0, 333);
            window.close(); // saves
        }
        MainWindow again;
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.findChild<QSplitter *>(QStringLiteral("topSplitter"))->sizes(), sizes);
        QCOMPARE(again.podsView()->columnWidth(0), 333);
        QSettings settings(MainWindow::settingsOrganization(), MainWindow::settingsApplication());
        QVERIFY2(settings.fileName().startsWith(m_settingsDir.path()),
                 qPrintable(settings.fileName()));
    }

    void podColumnsFollowTheWidth() {
        // IP is kubectl's -o wide column: hidden where a window has no room for every column,
        // shown when it is wide enough, whatever the remembered layout says.
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QHeaderView *header = window.podsView()->horizontalHeader();
        QVERIFY(header->isSectionHidden(int(PodColumn::Ip)));
        QVERIFY(!header->isSectionHidden(int(PodColumn::Node)));
        window.resize(1920, 1080);
        QTRY_VERIFY(!header->isSectionHidden(int(PodColumn::Ip)));
        window.resize(1280, 800);
        QTRY_VERIFY(header->isSectionHidden(int(PodColumn::Ip)));
    }

    void screenshotIsNotBlank() {
        MainWindow window;
        window.resize(1280, 800);
        window.open(target());
        window.show();
        const QString path = m_files.filePath(QStringLiteral("window.png"));
        Screenshot shot(&window, path, kLong);
        QSignalSpy done(&shot, &Screenshot::finished);
        shot.start();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kLong + 5000);
        QVERIFY2(shot.result().saved, qPrintable(shot.result().message));
        QVERIFY(shot.result().complete);
        const QImage image(path);
        QCOMPARE(image.size(), QSize(1280, 800));
        QVERIFY2(Screenshot::distinctColours(image) > 20, "the screenshot is (nearly) one colour");
        if (const QString keep = qEnvironmentVariable("RF_UI_SCREENSHOT_DIR"); !keep.isEmpty())
            QFile::copy(path, keep + QStringLiteral("/light-1280x800.png"));
    }

    void dashboardExecutableTakesAScreenshot() {
        const QString binary = dashboardBinary();
        if (!QFileInfo(binary).isExecutable())
            QSKIP("forecast-dashboard is not built in this build tree");
        const QString path = m_files.filePath(QStringLiteral("cli.png"));
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_settingsDir.path());
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(binary,
                      {QStringLiteral("--kubeconfig"), m_sandbox->kubeconfigPath(),
                       QStringLiteral("--namespace"), kNamespace, QStringLiteral("--screenshot"),
                       path, QStringLiteral("--screenshot-timeout"), QStringLiteral("120")});
        QVERIFY(process.waitForFinished(150000));
        const QByteArray output = process.readAll();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 0, output.constData());
        const QImage image(path);
        QVERIFY2(!image.isNull(), output.constData());
        QVERIFY2(Screenshot::distinctColours(image) > 20, "the screenshot is (nearly) one colour");
    }

    void dashboardExecutableSpeaksTheLanguageInHelpAndErrors() {
        const QString binary = dashboardBinary();
        if (!QFileInfo(binary).isExecutable())
            QSKIP("forecast-dashboard is not built in this build tree");
        auto run = [&](const QStringList &args, const QString &locale, int *exitCode) {
            QProcess process;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("DISPLAY")); // help needs no display
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
            env.insert(QStringLiteral("LC_ALL"), locale);
            env.insert(QStringLiteral("LANG"), locale);
            process.setProcessEnvironment(env);
            process.setProcessChannelMode(QProcess::MergedChannels);
            process.start(binary, args);
            process.waitForFinished(30000);
            *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
            return QString::fromUtf8(process.readAll());
        };
        int code = -1;
        QString out =
            run({QStringLiteral("--lang"), QStringLiteral("zh_CN"), QStringLiteral("--help")},
                QStringLiteral("C.UTF-8"), &code);
        QCOMPARE(code, 0);
        QVERIFY2(out.contains(QStringLiteral("显示本帮助并退出。")), qPrintable(out));
        out = run({QStringLiteral("--help")}, QStringLiteral("zh_CN.UTF-8"), &code);
        QCOMPARE(code, 0);
        QVERIFY2(out.contains(QStringLiteral("显示本帮助并退出。")), qPrintable(out));
        out = run({QStringLiteral("--help")}, QStringLiteral("C.UTF-8"), &code);
        QCOMPARE(code, 0);
        QVERIFY2(out.contains(QLatin1String("Show this help and exit.")), qPrintable(out));
        out = run({QStringLiteral("--lang"), QStringLiteral("zh_CN"), QStringLiteral("stray")},
                  QStringLiteral("C.UTF-8"), &code);
        QCOMPARE(code, 2);
        QVERIFY2(out.contains(QStringLiteral("请使用 --help 查看用法。")), qPrintable(out));
        // An option the parser does not know: still said in the asked language.
        out = run({QStringLiteral("--lang=zh_CN"), QStringLiteral("--bogus")},
                  QStringLiteral("C.UTF-8"), &code);
        QCOMPARE(code, 2);
        QVERIFY2(out.contains(QStringLiteral("请使用 --help 查看用法。")), qPrintable(out));
    }

    void darkPaletteGivesLightText() {
        const QPalette original = QApplication::palette();
        QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"));
        QApplication::setStyle(fusion);
        QApplication::setPalette(darkPalette());
        {
            MainWindow window;
            window.resize(1280, 800);
            window.open(target());
            window.show();
            QVERIFY(waitForReadyWorkload(window));
            QVERIFY(window.header()->palette().color(QPalette::WindowText).lightnessF() > 0.7);
            QVERIFY(window.podsView()->palette().color(QPalette::Text).lightnessF() > 0.7);
            QTest::qWait(800);
            const QImage image = window.grab().toImage();
            QVERIFY(Screenshot::distinctColours(image) > 20);
            // Mostly dark: the palette is followed, not a hard-coded light background.
            qint64 lightness = 0;
            for (int y = 0; y < image.height(); y += 8)
                for (int x = 0; x < image.width(); x += 8)
                    lightness += QColor(image.pixel(x, y)).lightness();
            const double average =
                double(lightness) / ((image.height() / 8 + 1) * (image.width() / 8 + 1));
            QVERIFY2(average < 110, qPrintable(QString::number(average)));
            if (const QString keep = qEnvironmentVariable("RF_UI_SCREENSHOT_DIR");
                !keep.isEmpty()) {
                image.save(keep + QStringLiteral("/dark-1280x800.png"));
                window.resize(1920, 1080);
                QTest::qWait(800);
                window.grab().save(keep + QStringLiteral("/dark-1920x1080.png"));
            }
        }
        QApplication::setPalette(original);
    }

    void cleanupTestCase() { m_sandbox.reset(); }
};

QTEST_MAIN(TestUiMainWindow)
#include "test_ui_main_window.moc"
