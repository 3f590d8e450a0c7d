#include "net/http_call.h"

#include "net/call_channel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QPointer>

namespace dashboard {

namespace {

const QEvent::Type kDeliverEvent = static_cast<QEvent::Type>(QEvent::registerEventType());
// How long one delivery event may keep the receiver's thread busy.
constexpr qint64 kSliceMs = 8;

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

void HttpCall::requeue(std::deque<CallDelivery> rest) {
    std::lock_guard lock(m_channel->mutex);
    if (m_channel->cancelled.load()) {
        return;
    }
    // What is left goes before anything that arrived meanwhile, to keep the order.
    while (!rest.empty()) {
        m_channel->queue.push_front(std::move(rest.back()));
        rest.pop_back();
    }
    if (!m_channel->eventPosted) {
        m_channel->eventPosted = true;
        QCoreApplication::postEvent(this, new QEvent(kDeliverEvent));
    }
}

void HttpCall::drain() {
    std::deque<CallDelivery> batch;
    {
        std::lock_guard lock(m_channel->mutex);
        m_channel->eventPosted = false;
        batch.swap(m_channel->queue);
    }
    // A burst (the initial ADDED events of thousands of objects) is handed out in slices
    // of a few milliseconds, so the receiver's event loop keeps painting and ticking.
    QElapsedTimer budget;
    budget.start();
    // A slot may cancel or even delete this call: check before every emission.
    QPointer<HttpCall> self(this);
    while (!batch.empty()) {
        if (!self || m_channel->cancelled.load()) {
            return;
        }
        if (budget.elapsed() >= kSliceMs) {
            requeue(std::move(batch));
            return;
        }
        CallDelivery &delivery = batch.front();
        switch (delivery.kind) {
        case CallDelivery::Kind::Started:
            Q_EMIT responseStarted(delivery.httpCode, delivery.headers);
            break;
        case CallDelivery::Kind::Lines: {
            qsizetype next = 0;
            for (; next < delivery.lines.size(); ++next) {
                if (!self || m_channel->cancelled.load()) {
                    return;
                }
                if (next % 32 == 31 && budget.elapsed() >= kSliceMs) {
                    break;
                }
                Q_EMIT lineReceived(delivery.lines.at(next));
            }
            if (next < delivery.lines.size()) {
                if (!self) {
                    return;
                }
                delivery.lines.remove(0, next);
                requeue(std::move(batch));
                return;
            }
            break;
        }
        case CallDelivery::Kind::Chunk:
            Q_EMIT dataReceived(delivery.chunk);
            break;
        case CallDelivery::Kind::Finished: {
            m_finished = true;
            const HttpResult result = std::move(delivery.result);
            Q_EMIT finished(result);
            if (self) {
                deleteLater();
            }
            return;
        }
        }
        batch.pop_front();
    }
}

} // namespace dashboard
