// Each way the window can fail to show the workload has its own message, saying what is
// wrong, the error as reported, and what to do (issue 6, "Bad input and failures").

#include "ui/window_problem.h"

#include <QTest>

using namespace dashboard;

Q_DECLARE_METATYPE(WindowProblem::Kind)
Q_DECLARE_METATYPE(WindowProblem)
Q_DECLARE_METATYPE(KubeError)

namespace {

KubeError httpError(int code, const QString &serverMessage) {
    KubeError e;
    e.httpCode = code;
    e.serverMessage = serverMessage;
    e.message = serverMessage.toStdString();
    return e;
}

} // namespace

class TestUiWindowProblem final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void requestFailures_data() {
        QTest::addColumn<KubeError>("error");
        QTest::addColumn<WindowProblem::Kind>("kind");
        QTest::addColumn<QString>("titleMentions");

        KubeError refused;
        refused.transport = HttpResult::Status::ConnectionRefused;
        refused.message =
            "Cannot connect to the cluster at https://127.0.0.1:1: connection refused.";
        QTest::newRow("refused") << refused << WindowProblem::Kind::Unreachable
                                 << QStringLiteral("reached");
        KubeError tls;
        tls.transport = HttpResult::Status::TlsError;
        tls.message = "TLS verification failed";
        QTest::newRow("tls") << tls << WindowProblem::Kind::Unreachable
                             << QStringLiteral("reached");
        QTest::newRow("401") << httpError(401, QStringLiteral("Unauthorized"))
                             << WindowProblem::Kind::Unauthorized << QStringLiteral("401");
        QTest::newRow("403")
            << httpError(403, QStringLiteral(
                                  "deployments.apps \"web\" is forbidden: User \"x\" cannot get"))
            << WindowProblem::Kind::Forbidden << QStringLiteral("\"web\"");
        QTest::newRow("404 namespace")
            << httpError(404, QStringLiteral("namespaces \"shop\" not found"))
            << WindowProblem::Kind::NamespaceMissing << QStringLiteral("\"shop\"");
        QTest::newRow("404 deployment")
            << httpError(404, QStringLiteral("deployments.apps \"web\" not found"))
            << WindowProblem::Kind::DeploymentMissing << QStringLiteral("\"web\"");
        QTest::newRow("500") << httpError(500, QStringLiteral("etcd is down"))
                             << WindowProblem::Kind::ServerError << QStringLiteral("500");
    }

    void requestFailures() {
        QFETCH(KubeError, error);
        QFETCH(WindowProblem::Kind, kind);
        QFETCH(QString, titleMentions);
        const WindowProblem p =
            requestProblem(error, QStringLiteral("shop"), QStringLiteral("web"));
        QCOMPARE(problemKindName(p.kind), problemKindName(kind));
        QVERIFY2(p.title.contains(titleMentions), qPrintable(p.title));
        QVERIFY(!p.todo.isEmpty());
        QVERIFY(!p.details.isEmpty());
    }

    void everyProblemSaysWhatToDo_data() {
        QTest::addColumn<WindowProblem>("problem");
        QTest::addColumn<bool>("resolvesItself");
        QTest::newRow("no kubeconfig")
            << noKubeconfigProblem(QStringLiteral("KUBECONFIG is not set")) << false;
        QTest::newRow("broken kubeconfig")
            << brokenKubeconfigProblem(QStringLiteral("/tmp/k: line 3, column 1: bad indentation"))
            << false;
        QTest::newRow("sandbox") << sandboxProblem(QStringLiteral("forecast-sandbox was not found"))
                                 << false;
        QTest::newRow("namespace")
            << namespaceMissingProblem(QStringLiteral("shop"), QStringLiteral("web")) << true;
        QTest::newRow("deployment")
            << deploymentMissingProblem(QStringLiteral("shop"), QStringLiteral("web")) << true;
    }

    void everyProblemSaysWhatToDo() {
        QFETCH(WindowProblem, problem);
        QFETCH(bool, resolvesItself);
        QVERIFY(!problem.isNone());
        QVERIFY(!problem.title.isEmpty());
        QVERIFY(!problem.todo.isEmpty());
        QVERIFY(!problem.details.isEmpty());
        QCOMPARE(problem.resolvesItself(), resolvesItself);
    }

    void kubeconfigProblemsKeepTheLoadersWords() {
        const WindowProblem p =
            brokenKubeconfigProblem(QStringLiteral("/home/u/.kube/config: line 3, column 1"));
        QVERIFY(p.details.contains(QLatin1String("line 3")));
        QCOMPARE(p.kind, WindowProblem::Kind::BrokenKubeconfig);
    }
};

QTEST_GUILESS_MAIN(TestUiWindowProblem)
#include "test_ui_window_problem.moc"
