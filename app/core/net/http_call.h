#pragma once
// One request or long-lived stream started by HttpEngine::send(). It lives in the thread
// that started it and is a child of the context object given to send(): when the context
// is destroyed the call is cancelled and nothing more is delivered. Everything arrives as
// queued signals in this object's thread.
//
// After finished() the call deletes itself (deleteLater); hold it in a QPointer.

#include "net/http_types.h"

#include <QObject>

#include <deque>
#include <memory>

namespace dashboard {

struct CallChannel;
struct CallDelivery;

class HttpCall final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpCall)

public:
    ~HttpCall() override;

    // Stops the transfer. Safe from this object's thread at any time (also from inside one
    // of its own signals); once it returns no signal of this call is emitted again.
    void cancel();
    bool isCancelled() const;
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    // Streams only: the final response header arrived (before any line or chunk).
    void responseStarted(int httpCode, const dashboard::HttpHeaders &headers);
    // Streams with splitLines and a 2xx response: one complete line, without the newline.
    void lineReceived(const QByteArray &line);
    // Streams without splitLines and a 2xx response: bytes as they arrived.
    void dataReceived(const QByteArray &chunk);
    // Last signal of a call (not emitted after cancel()).
    void finished(const dashboard::HttpResult &result);

protected:
    bool event(QEvent *event) override;

private:
    friend class HttpEngine;
    HttpCall(std::shared_ptr<CallChannel> channel, QObject *context);
    void drain();
    void requeue(std::deque<CallDelivery> rest);

    std::shared_ptr<CallChannel> m_channel;
    bool m_finished = false;
};

} // namespace dashboard
