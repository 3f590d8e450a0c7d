#include "ui/main_window.h"

#include "core/domain/deployment_summary.h"
#include "core/domain/hpa_summary.h"
#include "ui/banner.h"
#include "ui/connection_bar.h"
#include "ui/events_model.h"
#include "ui/hpa_panel.h"
#include "ui/placeholder_overlay.h"
#include "ui/pods_filter_proxy.h"
#include "ui/pods_table_model.h"
#include "ui/problem_panel.h"
#include "ui/replica_sets_model.h"
#include "ui/workload_feed.h"
#include "ui/workload_header.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace dashboard {

namespace {

constexpr int kHistoryIntervalMs = 5000;
// Set on a table header once the user chose its columns (saved with the layout).
constexpr const char *kColumnsChosen = "rfColumnsChosen";

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent, const QString &name) {
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideMiddle);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Right-click on the header shows or hides columns; the choice is saved with the layout.
    QHeaderView *header = view->horizontalHeader();
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(
        header, &QHeaderView::customContextMenuRequested, view, [view, header](const QPoint &at) {
            QMenu menu(view);
            const int columns = view->model()->columnCount();
            int shown = 0;
            for (int c = 0; c < columns; ++c)
                shown += header->isSectionHidden(c) ? 0 : 1;
            for (int c = 0; c < columns; ++c) {
                QAction *action =
                    menu.addAction(view->model()->headerData(c, Qt::Horizontal).toString());
                action->setCheckable(true);
                action->setChecked(!header->isSectionHidden(c));
                // The last visible column stays: a table needs one.
                action->setEnabled(header->isSectionHidden(c) || shown > 1);
                QObject::connect(action, &QAction::toggled, header, [header, c](bool on) {
                    header->setSectionHidden(c, !on);
                    // The user chose: no automatic hiding from now on.
                    header->setProperty(kColumnsChosen, true);
                });
            }
            menu.exec(header->mapToGlobal(at));
        });
    return view;
}

// Widths in average characters, so they follow the font (and CJK text) rather than pixels.
void setWidths(QTableView *view, std::initializer_list<int> characters) {
    const int unit = view->fontMetrics().averageCharWidth();
    int column = 0;
    for (int chars : characters)
        view->setColumnWidth(column++, chars * unit + 12);
}

// Widths that fit sample texts (and the header titles) in the view's font, plus padding.
void setSampleWidths(QTableView *view, const QStringList &samples) {
    const QFontMetrics text = view->fontMetrics();
    const QFontMetrics header = view->horizontalHeader()->fontMetrics();
    for (int column = 0; column < samples.size(); ++column) {
        const QString title = view->model()->headerData(column, Qt::Horizontal).toString();
        const int wanted =
            std::max(text.horizontalAdvance(samples.at(column)), header.horizontalAdvance(title));
        view->setColumnWidth(column, wanted + 12);
    }
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new WorkloadSession(this))
    , m_pods(new PodsTableModel(this))
    , m_podsProxy(new PodsFilterProxy(m_pods, this))
    , m_replicaSets(new ReplicaSetsModel(this))
    , m_events(new EventsModel(this)) {
    setObjectName(QStringLiteral("mainWindow"));
    buildUi();
    buildActions();
    applyDefaultColumnWidths();
    restoreSettings();

    connect(m_session, &WorkloadSession::opened, this, &MainWindow::onOpened);
    connect(m_session, &WorkloadSession::problemChanged, this, &MainWindow::onProblemChanged);
    connect(m_session, &WorkloadSession::settledChanged, this, &MainWindow::settled);

    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &MainWindow::tick);
    m_clock.start();
    m_historyClock.setInterval(kHistoryIntervalMs);
    connect(&m_historyClock, &QTimer::timeout, this,
            [this] { recordHistory(QDateTime::currentDateTimeUtc()); });
    m_historyClock.start();
    updateTitles();
}

MainWindow::~MainWindow() {
    // The session's feed must not call back into half-destroyed views.
    m_session->close();
}

void MainWindow::buildUi() {
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_connectionBar = new ConnectionBar(central);
    layout->addWidget(m_connectionBar);
    m_banner = new Banner(central);
    layout->addWidget(m_banner);

    m_pages = new QStackedWidget(central);
    layout->addWidget(m_pages, 1);

    m_content = new QWidget(m_pages);
    auto *content = new QVBoxLayout(m_content);
    content->setContentsMargins(8, 6, 8, 8);
    content->setSpacing(6);
    m_header = new WorkloadHeader(m_content);
    content->addWidget(m_header);

    m_mainSplitter = new QSplitter(Qt::Vertical, m_content);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->setChildrenCollapsible(false);
    m_topSplitter = new QSplitter(Qt::Horizontal, m_mainSplitter);
    m_topSplitter->setObjectName(QStringLiteral("topSplitter"));
    m_topSplitter->setChildrenCollapsible(false);
    m_topSplitter->addWidget(buildPodsPane());
    m_hpaPanel = new HpaPanel(m_topSplitter);
    m_hpaPanel->setMinimumWidth(400); // narrower, the figures overlap and the chart axes elide
    m_topSplitter->addWidget(m_hpaPanel);
    m_topSplitter->setStretchFactor(0, 2);
    m_topSplitter->setStretchFactor(1, 1);

    m_bottomTabs = new QTabWidget(m_mainSplitter);
    m_bottomTabs->setObjectName(QStringLiteral("bottomTabs"));
    m_eventsView = makeTable(m_events, m_bottomTabs, QStringLiteral("eventsView"));
    m_replicaSetsView = makeTable(m_replicaSets, m_bottomTabs, QStringLiteral("replicaSetsView"));
    m_bottomTabs->addTab(m_eventsView, tr("Events"));
    m_bottomTabs->addTab(m_replicaSetsView, tr("ReplicaSets"));
    m_eventsPlaceholder = new PlaceholderOverlay(m_eventsView);
    m_replicaSetsPlaceholder = new PlaceholderOverlay(m_replicaSetsView);

    m_mainSplitter->addWidget(m_topSplitter);
    m_mainSplitter->addWidget(m_bottomTabs);
    m_mainSplitter->setStretchFactor(0, 3);
    m_mainSplitter->setStretchFactor(1, 2);
    content->addWidget(m_mainSplitter, 1);
    m_pages->addWidget(m_content);

    m_problemPanel = new ProblemPanel(m_pages);
    m_pages->addWidget(m_problemPanel);
    setCentralWidget(central);

    connect(m_connectionBar, &ConnectionBar::contextChosen, this, [this](const QString &context) {
        WorkloadTarget target = m_session->target();
        target.context = context;
        target.namespaceName.clear(); // the new context's own namespace
        switchTarget(target);
    });
    connect(m_connectionBar, &ConnectionBar::namespaceChosen, this, [this](const QString &ns) {
        WorkloadTarget target = m_session->target();
        target.namespaceName = ns;
        switchTarget(target);
    });
    connect(m_connectionBar, &ConnectionBar::deploymentChosen, this,
            [this](const QString &deployment) {
                WorkloadTarget target = m_session->target();
                target.deployment = deployment;
                switchTarget(target);
            });
    connect(m_banner, &Banner::retryRequested, this, &MainWindow::reload);
    connect(m_problemPanel, &ProblemPanel::retryRequested, this, &MainWindow::reload);
    connect(m_problemPanel, &ProblemPanel::chooseKubeconfigRequested, this,
            &MainWindow::chooseKubeconfig);
    resize(1280, 800);
}

QWidget *MainWindow::buildPodsPane() {
    auto *pane = new QWidget(m_topSplitter);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    auto *row = new QHBoxLayout;
    auto *title = new QLabel(tr("Pods"), pane);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    m_podCount = new QLabel(pane);
    m_filter = new QLineEdit(pane);
    m_filter->setObjectName(QStringLiteral("podFilter"));
    m_filter->setPlaceholderText(tr("Filter by name, status, node or IP (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_problemsOnly = new QCheckBox(tr("&Problems only"), pane);
    m_problemsOnly->setToolTip(tr("Show only pods that are failing or need a look."));
    row->addWidget(title);
    row->addWidget(m_podCount);
    row->addStretch(1);
    row->addWidget(m_filter, 2);
    row->addWidget(m_problemsOnly);
    layout->addLayout(row);

    m_podsView = makeTable(m_podsProxy, pane, QStringLiteral("podsView"));
    m_podsView->setSortingEnabled(true);
    m_podsView->sortByColumn(int(PodColumn::Name), Qt::AscendingOrder);
    m_podsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    layout->addWidget(m_podsView, 1);
    m_podsPlaceholder = new PlaceholderOverlay(m_podsView);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_podsProxy->setFilterText(text);
        updatePlaceholders();
        updateTitles();
    });
    connect(m_problemsOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_podsProxy->setProblemsOnly(on);
        updatePlaceholders();
        updateTitles();
    });
    auto *clear =
        new QShortcut(QKeySequence(Qt::Key_Escape), m_filter, nullptr, nullptr, Qt::WidgetShortcut);
    connect(clear, &QShortcut::activated, m_filter, &QLineEdit::clear);
    return pane;
}

void MainWindow::buildActions() {
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *reload = file->addAction(tr("&Reload"), this, &MainWindow::reload);
    reload->setShortcuts({QKeySequence::Refresh, QKeySequence(Qt::CTRL | Qt::Key_R)});
    reload->setToolTip(tr("Read the kubeconfig again and reconnect."));
    QAction *open =
        file->addAction(tr("Use &Kubeconfig File…"), this, &MainWindow::chooseKubeconfig);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcuts({QKeySequence::Quit, QKeySequence(Qt::CTRL | Qt::Key_Q)});
    quit->setShortcutContext(Qt::ApplicationShortcut);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *copy = edit->addAction(tr("&Copy Pod Name"), this, &MainWindow::copyPodNames);
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_podsView->addAction(copy);
    // Ctrl+C copies the names too while the pods table has the focus.
    auto *tableCopy =
        new QShortcut(QKeySequence::Copy, m_podsView, nullptr, nullptr, Qt::WidgetShortcut);
    connect(tableCopy, &QShortcut::activated, this, &MainWindow::copyPodNames);
    QAction *find = edit->addAction(tr("&Filter Pods"), this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    QAction *problems = edit->addAction(tr("Show &Problems Only"));
    problems->setCheckable(true);
    problems->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    connect(problems, &QAction::toggled, m_problemsOnly, &QCheckBox::setChecked);
    connect(m_problemsOnly, &QCheckBox::toggled, problems, &QAction::setChecked);

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    QAction *context =
        go->addAction(tr("Switch &Context…"), m_connectionBar, &ConnectionBar::focusContextPicker);
    context->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    QAction *ns =
        go->addAction(tr("Change &Namespace…"), m_connectionBar, &ConnectionBar::focusNamespace);
    ns->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    go->addSeparator();
    QAction *pods =
        go->addAction(tr("&Pods"), this, [this] { m_podsView->setFocus(Qt::ShortcutFocusReason); });
    pods->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    QAction *events = go->addAction(tr("&Events"), this, [this] {
        m_bottomTabs->setCurrentWidget(m_eventsView);
        m_eventsView->setFocus(Qt::ShortcutFocusReason);
    });
    events->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    QAction *replicaSets = go->addAction(tr("&ReplicaSets"), this, [this] {
        m_bottomTabs->setCurrentWidget(m_replicaSetsView);
        m_replicaSetsView->setFocus(Qt::ShortcutFocusReason);
    });
    replicaSets->setShortcut(QKeySequence(Qt::ALT | Qt::Key_3));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard Shortcuts"), this, [this] {
        QMessageBox::information(
            this, tr("Keyboard shortcuts"),
            tr("Ctrl+F: filter pods\nEsc: clear the filter\nCtrl+P: show problems only\n"
               "Ctrl+C or Ctrl+Shift+C: copy the selected pod names\nF5 or Ctrl+R: reload and "
               "reconnect\n"
               "Ctrl+K: switch context\nCtrl+L: change namespace\nAlt+1, Alt+2, Alt+3: pods, "
               "events, "
               "ReplicaSets\nCtrl+O: use another kubeconfig file\nCtrl+Q: quit"));
    });
    keys->setShortcut(QKeySequence::HelpContents);
}

void MainWindow::applyDefaultColumnWidths() {
    // NAME, READY, STATUS, RESTARTS, LAST TERMINATION, AGE, IP, NODE
    // Pods: wide enough for the longest usual value of each column (a generated pod name,
    // CrashLoopBackOff, an OOM kill), measured in the view's font; Node takes the rest.
    setSampleWidths(m_podsView,
                    {QStringLiteral("retail-forecast-api-7dd5b5765-hwxvr"), QStringLiteral("Ready"),
                     QStringLiteral("CrashLoopBackOff"), QStringLiteral("12 (5m ago)"),
                     QStringLiteral("OOMKilled (exit 137), 5m ago"), QStringLiteral("12m5s"),
                     QStringLiteral("10.244.12.123")});
    fitPodColumnsToWidth();
    // LAST SEEN, TYPE, REASON, OBJECT, MESSAGE
    setSampleWidths(m_eventsView, {QStringLiteral("5m (x12 over 2h)"), QStringLiteral("Warning"),
                                   QStringLiteral("FailedComputeMetricsReplicas"),
                                   QStringLiteral("horizontalpodautoscaler/retail-forecast-api")});
    // REVISION, NAME, IMAGE, CHANGE CAUSE, DESIRED, CURRENT, READY, AGE
    setWidths(m_replicaSetsView, {8, 32, 30, 28, 8, 8, 7});
}

void MainWindow::fitPodColumnsToWidth() {
    // kubectl keeps IP for -o wide: a window narrower than 1500 px (the default is 1280) has
    // no room for every column, so IP is hidden there until the window is wider — unless the
    // user chose the columns (header menu; remembered).
    QHeaderView *header = m_podsView->horizontalHeader();
    if (header->property(kColumnsChosen).toBool())
        return;
    header->setSectionHidden(int(PodColumn::Ip), width() < 1500);
}

void MainWindow::resizeEvent(QResizeEvent *event) {
    QMainWindow::resizeEvent(event);
    fitPodColumnsToWidth();
}

void MainWindow::restoreSettings() {
    QSettings settings(settingsOrganization(), settingsApplication());
    settings.beginGroup(QStringLiteral("mainWindow"));
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    m_mainSplitter->restoreState(settings.value(QStringLiteral("mainSplitter")).toByteArray());
    m_topSplitter->restoreState(settings.value(QStringLiteral("topSplitter")).toByteArray());
    m_podsView->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("podsColumns")).toByteArray());
    m_podsView->horizontalHeader()->setProperty(
        kColumnsChosen, settings.value(QStringLiteral("podsColumnsChosen"), false).toBool());
    fitPodColumnsToWidth();
    m_eventsView->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("eventsColumns")).toByteArray());
    m_replicaSetsView->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("replicaSetsColumns")).toByteArray());
    m_bottomTabs->setCurrentIndex(settings.value(QStringLiteral("bottomTab"), 0).toInt());
    m_problemsOnly->setChecked(settings.value(QStringLiteral("problemsOnly"), false).toBool());
}

void MainWindow::saveSettings() const {
    QSettings settings(settingsOrganization(), settingsApplication());
    settings.beginGroup(QStringLiteral("mainWindow"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    settings.setValue(QStringLiteral("mainSplitter"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("topSplitter"), m_topSplitter->saveState());
    settings.setValue(QStringLiteral("podsColumns"), m_podsView->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("podsColumnsChosen"),
                      m_podsView->horizontalHeader()->property(kColumnsChosen).toBool());
    settings.setValue(QStringLiteral("eventsColumns"),
                      m_eventsView->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("replicaSetsColumns"),
                      m_replicaSetsView->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("bottomTab"), m_bottomTabs->currentIndex());
    settings.setValue(QStringLiteral("problemsOnly"), m_problemsOnly->isChecked());
}

void MainWindow::closeEvent(QCloseEvent *event) {
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::open(const WorkloadTarget &target) {
    switchTarget(target);
}

void MainWindow::switchTarget(const WorkloadTarget &target) {
    // The chart belongs to one workload: another context, namespace or Deployment starts it over.
    if (!(target == m_historyTarget)) {
        m_history.clear();
        m_historyTarget = target;
    }
    m_session->open(target);
}

void MainWindow::reload() {
    if (m_session->feed() || !m_session->problem().isNone() ||
        !m_session->target().deployment.isEmpty())
        m_session->reopen();
}

void MainWindow::setFeed(WorkloadFeed *feed, const Connection &connection) {
    m_session->adopt(feed, connection.context, connection.server);
}

void MainWindow::showProblem(const WindowProblem &problem) {
    m_session->setProblem(problem);
}

void MainWindow::showFatal(const QString &what, const QString &todo) {
    WindowProblem problem = brokenKubeconfigProblem(what);
    if (!todo.isEmpty())
        problem.todo = todo;
    showProblem(problem);
}

bool MainWindow::isSettled() const {
    return m_session->isSettled();
}

WorkloadFeed *MainWindow::feed() const {
    return m_session->feed();
}

bool MainWindow::isShowingProblem() const {
    return m_pages->currentWidget() == m_problemPanel;
}

QString MainWindow::bannerText() const {
    return m_banner->isShown() ? m_banner->title() + u'\n' + m_banner->reason() : QString();
}

QString MainWindow::podsPlaceholder() const {
    return m_podsPlaceholder->message();
}

void MainWindow::chooseKubeconfig() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Use a kubeconfig file"),
                                                      QDir::homePath() + QStringLiteral("/.kube"));
    if (file.isEmpty())
        return;
    WorkloadTarget target = m_session->target();
    target.kubeconfig = file;
    target.context.clear();
    target.namespaceName.clear();
    switchTarget(target);
}

void MainWindow::copyPodNames() {
    QStringList names;
    const QModelIndexList rows = m_podsView->selectionModel()->selectedRows(int(PodColumn::Name));
    for (const QModelIndex &index : rows)
        names << index.data(Qt::DisplayRole).toString();
    if (names.isEmpty() && m_podsView->currentIndex().isValid())
        names << m_podsView->currentIndex().siblingAtColumn(int(PodColumn::Name)).data().toString();
    if (!names.isEmpty())
        QApplication::clipboard()->setText(names.join(u'\n'));
}

} // namespace dashboard
