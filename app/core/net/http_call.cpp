#include "net/http_call.h"

#include "net/call_channel.h"

#include <QCoreApplication>
#include <QEvent>
#include <QPointer>

namespace dashboard {

namespace {

const QEvent::Type kDeliverEvent = static_cast<QEvent::Type>(QEvent::registerEventType());

} // namespace

void CallChannel::deliver(CallDelivery delivery) {
    std::lock_guard lock(mutex);
    if (cancelled.load() || receiver == nullptr) {
        return;
    }
    queue.push_back(std::move(delivery));
    if (!eventPosted) {
        eventPosted = true;
        // postEvent is thread-safe; the receiver cannot be destroyed while we hold the
        // mutex because its destructor clears `receiver` under it first.
        QCoreApplication::postEvent(receiver, new QEvent(kDeliverEvent));
    }
}

HttpCall::HttpCall(std::shared_ptr<CallChannel> channel, QObject *context)
    : QObject(context)
    , m_channel(std::move(channel)) {
    std::lock_guard lock(m_channel->mutex);
    m_channel->receiver = this;
}

HttpCall::~HttpCall() {
    cancel();
}

void HttpCall::cancel() {
    {
        std::lock_guard lock(m_channel->mutex);
        if (m_channel->cancelled.exchange(true)) {
            return;
        }
        m_channel->receiver = nullptr;
        m_channel->queue.clear();
    }
    if (!m_finished && m_channel->cancelTransfer) {
        m_channel->cancelTransfer(m_channel->id);
    }
}

bool HttpCall::isCancelled() const {
    return m_channel->cancelled.load();
}

bool HttpCall::event(QEvent *event) {
    if (event->type() != kDeliverEvent) {
        return QObject::event(event);
    }
    drain();
    return true;
}

void HttpCall::drain() {
    std::deque<CallDelivery> batch;
    {
        std::lock_guard lock(m_channel->mutex);
        m_channel->eventPosted = false;
        batch.swap(m_channel->queue);
    }
    // A slot may cancel or even delete this call: check before every emission.
    QPointer<HttpCall> self(this);
    for (CallDelivery &delivery : batch) {
        if (!self || m_channel->cancelled.load()) {
            return;
        }
        switch (delivery.kind) {
        case CallDelivery::Kind::Started:
            Q_EMIT responseStarted(delivery.httpCode, delivery.headers);
            break;
        case CallDelivery::Kind::Lines:
            for (const QByteArray &line : std::as_const(delivery.lines)) {
                if (!self || m_channel->cancelled.load()) {
                    return;
                }
                Q_EMIT lineReceived(line);
            }
            break;
        case CallDelivery::Kind::Chunk:
            Q_EMIT dataReceived(delivery.chunk);
            break;
        case CallDelivery::Kind::Finished:
            m_finished = true;
            Q_EMIT finished(delivery.result);
            if (self) {
                deleteLater();
            }
            return;
        }
    }
}

} // namespace dashboard
