#pragma once
// One watch request as a stream of typed events (k8s-api-notes §3): one JSON object per
// line, ADDED/MODIFIED/DELETED with the object, BOOKMARK with only a resourceVersion. An
// ERROR event (410 Expired after a too-old resourceVersion, ...) ends the stream with that
// error. Lives in the thread that started it, child of the given context.

#include "kube/status_error.h"
#include "net/http_call.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace dashboard {

struct WatchEvent {
    enum class Type { Added, Modified, Deleted, Bookmark };
    Type type = Type::Added;
    QJsonObject object;
    QString resourceVersion() const;
};

// How a watch ended. `error` is meaningful only when `failed`.
struct WatchEnd {
    bool failed = false;
    KubeError error;
};

class WatchStream final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WatchStream)

public:
    WatchStream(HttpCall *call, ErrorContext context, QObject *parent);
    ~WatchStream() override;

    // Nothing is emitted once this returns.
    void cancel();
    bool isActive() const { return !m_ended; }

Q_SIGNALS:
    void opened(); // the server accepted the watch (200)
    void eventReceived(const dashboard::WatchEvent &event);
    // Last signal: the server closed the watch (timeoutSeconds elapsed) or it failed.
    void closed(const dashboard::WatchEnd &end);

private:
    void onLine(const QByteArray &line);
    void onFinished(const HttpResult &result);
    void end(WatchEnd end);

    QPointer<HttpCall> m_call;
    ErrorContext m_context;
    bool m_ended = false;
};

} // namespace dashboard

Q_DECLARE_METATYPE(dashboard::WatchEvent)
Q_DECLARE_METATYPE(dashboard::WatchEnd)
