#pragma once
// The one window an operator keeps open (issue 6, DESIGN §6): the connection bar (context,
// namespace, Deployment, connection state), the disconnect banner, the workload header, the
// pods table with its filter beside the autoscaling panel, and events and ReplicaSets below.
// When nothing can be shown, a problem page says what is wrong and what to do instead of
// empty tables. Thin: WorkloadSession decides what is wrong, the models and the domain layer
// what rows say; this class arranges them, keeps layout in QSettings and binds shortcuts.

#include "ui/hpa_history.h"
#include "ui/workload_session.h"

#include <QDateTime>
#include <QMainWindow>
#include <QTimer>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace dashboard {

class Banner;
class ConnectionBar;
class EventsModel;
class HpaPanel;
class PlaceholderOverlay;
class PodsFilterProxy;
class PodsTableModel;
class ProblemPanel;
class ReplicaSetsModel;
class WorkloadFeed;
class WorkloadHeader;

class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // For a feed made outside the window (setFeed).
    struct Connection {
        QString context;
        QString server;
        QString namespaceName;
        QString deployment;
    };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads the kubeconfig and watches the workload; the window owns the connection and can
    // switch context, namespace and Deployment.
    void open(const WorkloadTarget &target);
    // Watches a feed made elsewhere (not owned); the context picker then cannot switch.
    void setFeed(WorkloadFeed *feed, const Connection &connection);
    // A failure found before connecting (e.g. the sandbox did not start).
    void showProblem(const WindowProblem &problem);
    void showFatal(const QString &what, const QString &todo);

    // Whether the first complete picture (or a problem) is on screen; see settled().
    bool isSettled() const;
    void saveSettings() const;

    // For tests and the screenshot helper.
    WorkloadSession *session() const { return m_session; }
    WorkloadFeed *feed() const;
    PodsTableModel *podsModel() const { return m_pods; }
    PodsFilterProxy *podsProxy() const { return m_podsProxy; }
    ReplicaSetsModel *replicaSetsModel() const { return m_replicaSets; }
    EventsModel *eventsModel() const { return m_events; }
    QTableView *podsView() const { return m_podsView; }
    ConnectionBar *connectionBar() const { return m_connectionBar; }
    Banner *banner() const { return m_banner; }
    WorkloadHeader *header() const { return m_header; }
    HpaPanel *hpaPanel() const { return m_hpaPanel; }
    ProblemPanel *problemPanel() const { return m_problemPanel; }
    const HpaHistory &hpaHistory() const { return m_history; }
    bool isShowingProblem() const;
    QString bannerText() const;
    QString podsPlaceholder() const;

    static QString settingsOrganization() { return QStringLiteral("retail-forecast"); }
    static QString settingsApplication() { return QStringLiteral("forecast-dashboard"); }

Q_SIGNALS:
    void settled(); // the first complete picture, or a problem, is shown (once per open)

protected:
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void buildUi();
    QWidget *buildPodsPane();
    void buildActions();
    void restoreSettings();
    void applyDefaultColumnWidths();
    void fitPodColumnsToWidth();

    void onOpened();
    void onFeedChanged();
    void onConnectionChanged();
    void onProblemChanged();
    void tick();
    void recordHistory(const QDateTime &now);
    void updatePlaceholders();
    void updateTitles();
    void copyPodNames();
    void chooseKubeconfig();
    void reload();
    void switchTarget(const WorkloadTarget &target);

    WorkloadSession *m_session;
    PodsTableModel *m_pods;
    PodsFilterProxy *m_podsProxy;
    ReplicaSetsModel *m_replicaSets;
    EventsModel *m_events;

    ConnectionBar *m_connectionBar = nullptr;
    Banner *m_banner = nullptr;
    QStackedWidget *m_pages = nullptr;
    QWidget *m_content = nullptr;
    ProblemPanel *m_problemPanel = nullptr;
    WorkloadHeader *m_header = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_topSplitter = nullptr;
    QLineEdit *m_filter = nullptr;
    QCheckBox *m_problemsOnly = nullptr;
    QLabel *m_podCount = nullptr;
    QTableView *m_podsView = nullptr;
    QTableView *m_replicaSetsView = nullptr;
    QTableView *m_eventsView = nullptr;
    PlaceholderOverlay *m_podsPlaceholder = nullptr;
    PlaceholderOverlay *m_replicaSetsPlaceholder = nullptr;
    PlaceholderOverlay *m_eventsPlaceholder = nullptr;
    QTabWidget *m_bottomTabs = nullptr;
    HpaPanel *m_hpaPanel = nullptr;

    HpaHistory m_history;
    QTimer m_clock;        // ages ("5m30s") move on
    QTimer m_historyClock; // the chart moves on while nothing changes
    QDateTime m_lastUpdate;
    WorkloadTarget m_historyTarget;
};

} // namespace dashboard
