#pragma once
// Internal to the HTTP engine: the one thing the network thread and an HttpCall (living in
// the receiver's thread) share. The network thread appends deliveries and posts at most
// one event per receiver turn; the receiver drains them. `receiver` is cleared under the
// mutex before the HttpCall is destroyed, so the network thread never posts to a dead
// object, and `cancelled` is checked before every signal, so nothing is emitted after
// cancel() returns.

#include "net/http_types.h"

#include <QList>
#include <QObject>

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>

namespace dashboard {

class HttpCall;

struct CallDelivery {
    enum class Kind { Started, Lines, Chunk, Finished };
    Kind kind = Kind::Chunk;
    int httpCode = 0;
    HttpHeaders headers;
    QList<QByteArray> lines;
    QByteArray chunk;
    HttpResult result;
};

struct CallChannel {
    std::mutex mutex;
    HttpCall *receiver = nullptr;   // guarded by mutex
    std::deque<CallDelivery> queue; // guarded by mutex
    bool eventPosted = false;       // guarded by mutex
    std::atomic<bool> cancelled{false};
    quint64 id = 0;
    // Asks the engine (if it still exists) to drop the transfer; set by the engine.
    std::function<void(quint64)> cancelTransfer;

    // Network thread: queue a delivery and wake the receiver once per batch.
    void deliver(CallDelivery delivery);
};

} // namespace dashboard
