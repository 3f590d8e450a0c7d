#include "kube/informer.h"

#include "kube/kube_client.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QRandomGenerator>

namespace dashboard {

Q_LOGGING_CATEGORY(lcInformer, "dashboard.informer", QtWarningMsg)

namespace {

// A watch that the server ends this soon without any event is not healthy: back off
// before the next one instead of spinning.
constexpr qint64 kMinHealthyWatchMs = 1000;

QString describe(const InformerOptions &options) {
    QString text = options.resource.groupResource();
    if (!options.namespaceName.isEmpty()) {
        text += QStringLiteral(" in ") + options.namespaceName;
    }
    if (!options.labelSelector.isEmpty()) {
        text += QStringLiteral(" [") + options.labelSelector + QLatin1Char(']');
    }
    return text;
}

} // namespace

Informer::Informer(KubeClient &client, InformerOptions options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(std::move(options))
    , m_backoff(m_options.backoffInitial, m_options.backoffCap) {
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Informer::onRetryTimer);
}

Informer::~Informer() {
    // Receivers may be going away with us: no state change is announced from here.
    blockSignals(true);
    stop();
}

void Informer::start() {
    if (m_running) {
        return;
    }
    m_running = true;
    m_backoff.reset();
    setState(ConnectionState::Connecting);
    listPage({});
}

void Informer::stop() {
    m_running = false;
    m_retryTimer.stop();
    if (m_listCall) {
        m_listCall->cancel();
    }
    if (m_watch) {
        m_watch->cancel();
        m_watch->deleteLater();
    }
    m_listing.clear();
    setState(ConnectionState::Stopped);
}

void Informer::listPage(const QString &continueToken) {
    if (continueToken.isEmpty()) {
        m_listing.clear();
    }
    ListOptions options;
    options.labelSelector = m_options.labelSelector;
    options.fieldSelector = m_options.fieldSelector;
    options.limit = m_options.pageSize;
    options.continueToken = continueToken;
    const bool continued = !continueToken.isEmpty();
    m_listCall = m_client.list(
        m_options.resource, m_options.namespaceName, options, this,
        [this, continued](const KubeResult &result) { onListPage(result, continued); });
}

void Informer::onListPage(const KubeResult &result, bool continued) {
    if (!m_running) {
        return;
    }
    if (!result.ok()) {
        if (continued && result.error().isGone()) {
            // The continue token expired between pages: start the list over.
            listPage({});
            return;
        }
        qCInfo(lcInformer).noquote()
            << "list of" << describe(m_options) << "failed:" << result.error().text();
        retryLater(result.error(), true);
        return;
    }
    const QJsonObject &list = result.value();
    const QJsonArray items = list.value(QLatin1String("items")).toArray();
    m_listing.reserve(m_listing.size() + items.size());
    for (const QJsonValue &item : items) {
        QJsonObject object = item.toObject();
        // List items carry no kind/apiVersion; add them so every cached object is complete.
        if (!object.contains(QLatin1String("kind"))) {
            object.insert(QStringLiteral("kind"), m_options.resource.kind);
            object.insert(QStringLiteral("apiVersion"), m_options.resource.apiVersion());
        }
        if (!m_options.keep || m_options.keep(object)) {
            m_listing.append(std::move(object));
        }
    }
    const QJsonObject metadata = list.value(QLatin1String("metadata")).toObject();
    const QString next = metadata.value(QLatin1String("continue")).toString();
    if (!next.isEmpty()) {
        listPage(next);
        return;
    }
    m_cache.replaceAll(m_listing);
    m_listing.clear();
    m_resourceVersion = metadata.value(QLatin1String("resourceVersion")).toString();
    ++m_lists;
    m_backoff.reset();
    scheduleFlush();
    setState(ConnectionState::Connected);
    if (!m_synced) {
        m_synced = true;
        Q_EMIT syncedChanged(true);
    }
    if (m_running) {
        startWatch();
    }
}

void Informer::startWatch() {
    if (m_watch) {
        m_watch->cancel();
        m_watch->deleteLater();
    }
    WatchOptions options;
    options.labelSelector = m_options.labelSelector;
    options.fieldSelector = m_options.fieldSelector;
    options.resourceVersion = m_resourceVersion;
    options.allowBookmarks = true;
    // Spread the watches' ends so a fleet of informers does not re-watch in lockstep.
    options.timeoutSeconds = 300 + static_cast<int>(QRandomGenerator::global()->bounded(300));
    m_watchEvents = 0;
    m_watchAge.start();
    m_watch = m_client.watch(m_options.resource, m_options.namespaceName, options, this);
    connect(m_watch, &WatchStream::opened, this, [this] { setState(ConnectionState::Connected); });
    connect(m_watch, &WatchStream::eventReceived, this, &Informer::onWatchEvent);
    connect(m_watch, &WatchStream::closed, this, &Informer::onWatchClosed);
}

void Informer::onWatchEvent(const WatchEvent &event) {
    ++m_watchEvents;
    switch (event.type) {
    case WatchEvent::Type::Added:
    case WatchEvent::Type::Modified:
        if (!m_options.keep || m_options.keep(event.object)) {
            m_cache.upsert(event.object);
        } else {
            m_cache.remove(event.object);
        }
        break;
    case WatchEvent::Type::Deleted:
        m_cache.remove(event.object);
        break;
    case WatchEvent::Type::Bookmark:
        break;
    }
    const QString rv = event.resourceVersion();
    if (!rv.isEmpty()) {
        m_resourceVersion = rv;
    }
    if (event.type != WatchEvent::Type::Bookmark) {
        scheduleFlush();
    }
    // A watch that delivers is healthy: the next failure starts the back-off from the bottom.
    m_backoff.reset();
}

void Informer::onWatchClosed(const WatchEnd &end) {
    if (m_watch) {
        m_watch->deleteLater();
        m_watch = nullptr;
    }
    if (!m_running) {
        return;
    }
    if (!end.failed) {
        if (m_watchAge.elapsed() < kMinHealthyWatchMs && m_watchEvents == 0) {
            m_retryTimer.start(m_backoff.next());
            m_relistOnRetry = false;
            return;
        }
        startWatch(); // the server's timeoutSeconds elapsed: carry on from the last RV
        return;
    }
    if (end.error.isGone()) {
        // Our resourceVersion is older than the server's history (compaction, a restarted
        // API server): the only way back is a fresh list.
        qCInfo(lcInformer).noquote() << describe(m_options) << "relisting:" << end.error.text();
        listPage({});
        return;
    }
    qCInfo(lcInformer).noquote() << "watch of" << describe(m_options)
                                 << "failed:" << end.error.text();
    retryLater(end.error, false);
}

void Informer::retryLater(const KubeError &error, bool relist) {
    setState(ConnectionState::Reconnecting, error.text());
    m_relistOnRetry = m_relistOnRetry || relist;
    m_retryTimer.start(m_backoff.next());
}

void Informer::onRetryTimer() {
    if (!m_running) {
        return;
    }
    if (m_relistOnRetry || m_resourceVersion.isEmpty()) {
        m_relistOnRetry = false;
        listPage({});
    } else {
        startWatch();
    }
}

void Informer::setState(ConnectionState state, const QString &reason) {
    if (state == m_state && reason == m_reason) {
        return;
    }
    m_state = state;
    m_reason = reason;
    Q_EMIT connectionStateChanged(state, reason);
}

void Informer::scheduleFlush() {
    if (m_flushScheduled || !m_cache.hasChanges()) {
        return;
    }
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &Informer::flush, Qt::QueuedConnection);
}

void Informer::flush() {
    m_flushScheduled = false;
    if (!m_cache.hasChanges()) {
        return;
    }
    const CacheChanges changes = m_cache.takeChanges();
    Q_EMIT changed(changes.added, changes.updated, changes.removed);
}

} // namespace dashboard
