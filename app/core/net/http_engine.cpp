#include "net/http_engine.h"

#include "net/curl_transfer.h"
#include "net/retry_policy.h"

#include <QDateTime>

#include <curl/curl.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace dashboard {

namespace {

std::once_flag g_curlInit;

const std::chrono::milliseconds kMaxRetryAfter{120000};

} // namespace

struct HttpEngine::Core : std::enable_shared_from_this<HttpEngine::Core> {
    CURLM *multi = nullptr;
    std::thread thread;

    // Shared with other threads, guarded by `mutex`.
    mutable std::mutex mutex;
    std::vector<std::unique_ptr<CurlTransfer>> incoming;
    std::vector<quint64> cancels;
    bool stopping = false;
    std::atomic<int> known{0};

    // Network thread only.
    std::unordered_map<quint64, std::unique_ptr<CurlTransfer>> running;
    std::vector<std::unique_ptr<CurlTransfer>> waiting; // retries (and new ones) by due time
    quint64 nextId = 1;

    void wake() {
        if (multi) {
            curl_multi_wakeup(multi);
        }
    }

    void run();
    void startDue();
    void finish(CurlTransfer *transfer, CURLcode code);
    void drop(quint64 id);
    bool scheduleRetry(std::unique_ptr<CurlTransfer> &transfer, const HttpResult &result);
};

void HttpEngine::Core::run() {
    for (;;) {
        std::vector<std::unique_ptr<CurlTransfer>> added;
        std::vector<quint64> cancelled;
        {
            std::lock_guard lock(mutex);
            if (stopping) {
                break;
            }
            added.swap(incoming);
            cancelled.swap(cancels);
        }
        for (auto &transfer : added) {
            waiting.push_back(std::move(transfer));
        }
        for (quint64 id : cancelled) {
            drop(id);
        }
        startDue();

        int stillRunning = 0;
        curl_multi_perform(multi, &stillRunning);
        int left = 0;
        while (CURLMsg *message = curl_multi_info_read(multi, &left)) {
            if (message->msg != CURLMSG_DONE) {
                continue;
            }
            CurlTransfer *transfer = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
            finish(transfer, message->data.result);
        }

        int timeoutMs = 1000;
        const auto now = std::chrono::steady_clock::now();
        for (const auto &transfer : waiting) {
            const auto wait =
                std::chrono::duration_cast<std::chrono::milliseconds>(transfer->due - now);
            timeoutMs = std::clamp(static_cast<int>(wait.count()), 0, timeoutMs);
        }
        long curlTimeout = -1;
        curl_multi_timeout(multi, &curlTimeout);
        if (curlTimeout >= 0) {
            timeoutMs = std::min(timeoutMs, static_cast<int>(curlTimeout));
        }
        curl_multi_poll(multi, nullptr, 0, timeoutMs, nullptr);
    }
    for (auto &[id, transfer] : running) {
        curl_multi_remove_handle(multi, transfer->easy);
    }
    running.clear();
    waiting.clear();
}

void HttpEngine::Core::startDue() {
    const auto now = std::chrono::steady_clock::now();
    for (auto it = waiting.begin(); it != waiting.end();) {
        if ((*it)->due > now) {
            ++it;
            continue;
        }
        std::unique_ptr<CurlTransfer> transfer = std::move(*it);
        it = waiting.erase(it);
        if (transfer->channel->cancelled.load()) {
            known.fetch_sub(1);
            continue;
        }
        // May block while an exec credential plugin runs: on this thread, never the GUI's.
        if (auto failed = prepareTransfer(*transfer)) {
            CallDelivery delivery;
            delivery.kind = CallDelivery::Kind::Finished;
            delivery.result = std::move(*failed);
            transfer->channel->deliver(std::move(delivery));
            known.fetch_sub(1);
            continue;
        }
        curl_multi_add_handle(multi, transfer->easy);
        const quint64 id = transfer->channel->id;
        running.emplace(id, std::move(transfer));
        // startDue may run long (credentials): later entries re-check `now` next turn.
        it = waiting.begin();
    }
}

void HttpEngine::Core::drop(quint64 id) {
    if (auto it = running.find(id); it != running.end()) {
        curl_multi_remove_handle(multi, it->second->easy);
        running.erase(it);
        known.fetch_sub(1);
        return;
    }
    auto it = std::find_if(waiting.begin(), waiting.end(),
                           [id](const auto &t) { return t->channel->id == id; });
    if (it != waiting.end()) {
        waiting.erase(it);
        known.fetch_sub(1);
    }
}

bool HttpEngine::Core::scheduleRetry(std::unique_ptr<CurlTransfer> &transfer,
                                     const HttpResult &result) {
    CurlTransfer &t = *transfer;
    if (result.status != HttpResult::Status::Ok || t.streaming) {
        return false; // a stream that already delivered data is the caller's to restart
    }
    std::chrono::milliseconds delay{0};
    if (result.httpCode == 401 && t.sentCredentials && !t.authRetried) {
        // One refresh: an expired exec credential or a rotated token file.
        const RestConfig *config = t.request.config.get();
        if (!config || !config->credentials || !config->credentials->invalidate()) {
            return false;
        }
        t.authRetried = true;
    } else {
        const QByteArray retryAfter = result.header("Retry-After");
        if (t.attempt > t.request.maxRetries ||
            !isRetryableResponse(t.request.method, result.httpCode, !retryAfter.isEmpty())) {
            return false;
        }
        if (auto parsed = parseRetryAfter(retryAfter, QDateTime::currentDateTimeUtc())) {
            delay = std::min(*parsed, kMaxRetryAfter);
        } else {
            Backoff backoff(std::chrono::milliseconds(500), std::chrono::milliseconds(10000));
            for (int i = 1; i < t.attempt; ++i) {
                backoff.next();
            }
            delay = backoff.next();
        }
    }
    ++t.attempt;
    t.release();
    t.due = std::chrono::steady_clock::now() + delay;
    waiting.push_back(std::move(transfer));
    return true;
}

void HttpEngine::Core::finish(CurlTransfer *finished, CURLcode code) {
    const quint64 id = finished->channel->id;
    auto it = running.find(id);
    if (it == running.end()) {
        return;
    }
    std::unique_ptr<CurlTransfer> transfer = std::move(it->second);
    running.erase(it);
    curl_multi_remove_handle(multi, transfer->easy);
    if (transfer->channel->cancelled.load()) {
        known.fetch_sub(1);
        return;
    }
    HttpResult result = transferResult(*transfer, code);
    if (scheduleRetry(transfer, result)) {
        return;
    }
    CallDelivery delivery;
    delivery.kind = CallDelivery::Kind::Finished;
    delivery.result = std::move(result);
    transfer->channel->deliver(std::move(delivery));
    known.fetch_sub(1);
}

HttpEngine::HttpEngine()
    : m_core(std::make_shared<Core>()) {
    std::call_once(g_curlInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    qRegisterMetaType<dashboard::HttpResult>();
    qRegisterMetaType<dashboard::HttpHeaders>();
    m_core->multi = curl_multi_init();
    m_core->thread = std::thread([core = m_core.get()] { core->run(); });
}

HttpEngine::~HttpEngine() {
    {
        std::lock_guard lock(m_core->mutex);
        m_core->stopping = true;
    }
    m_core->wake();
    m_core->thread.join();
    {
        std::lock_guard lock(m_core->mutex);
        m_core->incoming.clear();
    }
    curl_multi_cleanup(m_core->multi);
    m_core->multi = nullptr;
}

HttpCall *HttpEngine::send(HttpRequest request, QObject *context) {
    auto channel = std::make_shared<CallChannel>();
    auto transfer = std::make_unique<CurlTransfer>();
    {
        std::lock_guard lock(m_core->mutex);
        channel->id = m_core->nextId++;
    }
    std::weak_ptr<Core> weakCore = m_core;
    channel->cancelTransfer = [weakCore](quint64 id) {
        if (auto core = weakCore.lock()) {
            {
                std::lock_guard lock(core->mutex);
                core->cancels.push_back(id);
            }
            core->wake();
        }
    };
    auto *call = new HttpCall(channel, context);
    transfer->channel = std::move(channel);
    transfer->request = std::move(request);
    transfer->due = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(m_core->mutex);
        m_core->incoming.push_back(std::move(transfer));
        m_core->known.fetch_add(1);
    }
    m_core->wake();
    return call;
}

QByteArray HttpEngine::userAgent() {
    return QByteArrayLiteral("forecast-dashboard/0.1.0 (linux) ") +
           curl_version_info(CURLVERSION_NOW)->version;
}

int HttpEngine::activeTransfers() const {
    return m_core->known.load();
}

} // namespace dashboard
