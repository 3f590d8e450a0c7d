#include "kube/watch_stream.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace dashboard {

QString WatchEvent::resourceVersion() const {
    return object.value(QLatin1String("metadata"))
        .toObject()
        .value(QLatin1String("resourceVersion"))
        .toString();
}

WatchStream::WatchStream(HttpCall *call, ErrorContext context, QObject *parent)
    : QObject(parent)
    , m_call(call)
    , m_context(std::move(context)) {
    // The call lives under this stream so both go together.
    call->setParent(this);
    connect(call, &HttpCall::responseStarted, this, [this](int code, const HttpHeaders &) {
        if (code >= 200 && code < 300) {
            Q_EMIT opened();
        }
    });
    connect(call, &HttpCall::lineReceived, this, &WatchStream::onLine);
    connect(call, &HttpCall::finished, this, &WatchStream::onFinished);
}

WatchStream::~WatchStream() {
    cancel();
}

void WatchStream::cancel() {
    m_ended = true;
    if (m_call) {
        m_call->cancel();
    }
}

void WatchStream::onLine(const QByteArray &line) {
    if (m_ended || line.trimmed().isEmpty()) {
        return;
    }
    QJsonParseError parseError;
    const QJsonObject event = QJsonDocument::fromJson(line, &parseError).object();
    if (parseError.error != QJsonParseError::NoError) {
        KubeError error;
        error.reason = QStringLiteral("MalformedWatchEvent");
        error.message = QStringLiteral("The server sent a watch event that is not JSON (%1)")
                            .arg(parseError.errorString())
                            .toStdString();
        end({true, error});
        return;
    }
    const QString type = event.value(QLatin1String("type")).toString();
    WatchEvent out;
    out.object = event.value(QLatin1String("object")).toObject();
    if (type == QLatin1String("ADDED")) {
        out.type = WatchEvent::Type::Added;
    } else if (type == QLatin1String("MODIFIED")) {
        out.type = WatchEvent::Type::Modified;
    } else if (type == QLatin1String("DELETED")) {
        out.type = WatchEvent::Type::Deleted;
    } else if (type == QLatin1String("BOOKMARK")) {
        out.type = WatchEvent::Type::Bookmark;
    } else if (type == QLatin1String("ERROR")) {
        end({true, decodeStatus(out.object, 0, m_context)});
        return;
    } else {
        return; // an unknown type from a newer server: skip it
    }
    Q_EMIT eventReceived(out);
}

void WatchStream::onFinished(const HttpResult &result) {
    if (m_ended) {
        return;
    }
    if (result.ok()) {
        end({false, {}});
    } else {
        end({true, decodeError(result, m_context)});
    }
}

void WatchStream::end(WatchEnd how) {
    if (m_ended) {
        return;
    }
    m_ended = true;
    if (m_call) {
        m_call->cancel();
    }
    Q_EMIT closed(how);
}

} // namespace dashboard
