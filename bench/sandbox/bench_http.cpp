#include "bench_http.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

namespace rf::bench {
namespace {

size_t appendBody(char *data, size_t size, size_t count, void *user) {
    static_cast<std::string *>(user)->append(data, size * count);
    return size * count;
}

curl_slist *baseHeaders(const Endpoint &endpoint, const std::string &accept,
                        const std::string &contentType) {
    curl_slist *headers = nullptr;
    headers = curl_slist_append(headers, ("Authorization: Bearer " + endpoint.token).c_str());
    headers = curl_slist_append(headers, ("Accept: " + accept).c_str());
    if (!contentType.empty())
        headers = curl_slist_append(headers, ("Content-Type: " + contentType).c_str());
    // curl would otherwise wait for "100 Continue" before sending large bodies.
    headers = curl_slist_append(headers, "Expect:");
    return headers;
}

void configure(CURL *easy, const Endpoint &endpoint, const std::string &method,
               const std::string &path, const std::string &body, curl_slist *headers,
               std::string *sink) {
    curl_easy_setopt(easy, CURLOPT_URL, (endpoint.server + path).c_str());
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_blob ca{const_cast<char *>(endpoint.caPem.data()), endpoint.caPem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(easy, CURLOPT_CAINFO_BLOB, &ca);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, sink);
    if (method == "GET") {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, nullptr);
    } else {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, body.c_str());
    }
}

} // namespace

double percentile(std::vector<double> values, double p) {
    if (values.empty())
        return 0;
    auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank),
                     values.end());
    return values[rank];
}

SyncClient::SyncClient(const Endpoint &endpoint)
    : m_endpoint(endpoint)
    , m_easy(curl_easy_init()) {}

SyncClient::~SyncClient() {
    curl_easy_cleanup(static_cast<CURL *>(m_easy));
}

Response SyncClient::request(const std::string &method, const std::string &path,
                             const std::string &body, const std::string &contentType,
                             const std::string &accept) {
    auto *easy = static_cast<CURL *>(m_easy);
    Response response;
    curl_slist *headers = baseHeaders(m_endpoint, accept, contentType);
    configure(easy, m_endpoint, method, path, body, headers, &response.body);
    auto start = SteadyClock::now();
    CURLcode code = curl_easy_perform(easy);
    response.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    if (code != CURLE_OK)
        response.error = curl_easy_strerror(code);
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
    curl_slist_free_all(headers);
    return response;
}

ParallelResult runParallel(const Endpoint &endpoint, std::size_t total, int concurrency,
                           std::int64_t intervalNs, std::int64_t stopAfterNs,
                           const std::function<RequestSpec(std::size_t)> &makeRequest) {
    struct Slot {
        CURL *easy = curl_easy_init();
        curl_slist *headers = nullptr;
        std::string body;
        std::int64_t startNs = 0;
        std::size_t index = 0;
        bool busy = false;
    };
    ParallelResult result;
    CURLM *multi = curl_multi_init();
    std::vector<Slot> slots(static_cast<std::size_t>(concurrency));
    std::size_t next = 0;
    std::size_t inFlight = 0;
    const std::int64_t begin = nowNs();
    while (next < total || inFlight > 0) {
        if (stopAfterNs > 0 && nowNs() - begin > stopAfterNs)
            total = next;
        for (auto &slot : slots) {
            if (slot.busy || next >= total)
                continue;
            if (intervalNs > 0 && nowNs() < begin + static_cast<std::int64_t>(next) * intervalNs)
                break;
            RequestSpec spec = makeRequest(next);
            curl_slist_free_all(slot.headers);
            slot.headers = baseHeaders(endpoint, "application/json", spec.contentType);
            slot.body.clear();
            configure(slot.easy, endpoint, spec.method, spec.path, spec.body, slot.headers,
                      &slot.body);
            curl_easy_setopt(slot.easy, CURLOPT_PRIVATE, &slot);
            slot.index = next++;
            slot.busy = true;
            slot.startNs = nowNs();
            curl_multi_add_handle(multi, slot.easy);
            ++inFlight;
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg *message = curl_multi_info_read(multi, &queued)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            Slot *slot = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &slot);
            long status = 0;
            curl_easy_getinfo(message->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            double ms = static_cast<double>(nowNs() - slot->startNs) / 1e6;
            if (message->data.result == CURLE_OK && status >= 200 && status < 300) {
                result.latencyMs.push_back(ms);
            } else {
                if (result.failures++ == 0)
                    result.firstFailure =
                        "request " + std::to_string(slot->index) + ": " +
                        (message->data.result != CURLE_OK
                             ? curl_easy_strerror(message->data.result)
                             : "HTTP " + std::to_string(status) + " " + slot->body.substr(0, 300));
            }
            curl_multi_remove_handle(multi, message->easy_handle);
            slot->busy = false;
            --inFlight;
        }
        // Sleep on the sockets until the next request is due (rounded up: never spin, the
        // client shares the 2 cores with the server it measures) or, with every connection
        // busy, until one answers.
        int waitMs = 50;
        bool slotFree = std::any_of(slots.begin(), slots.end(), [](auto &s) { return !s.busy; });
        if (next < total && slotFree) {
            if (intervalNs == 0)
                continue;
            std::int64_t due = begin + static_cast<std::int64_t>(next) * intervalNs - nowNs();
            waitMs = static_cast<int>(std::clamp<std::int64_t>((due + 999999) / 1000000, 0, 50));
        }
        if (waitMs > 0)
            curl_multi_poll(multi, nullptr, 0, waitMs, nullptr);
    }
    result.seconds = static_cast<double>(nowNs() - begin) / 1e9;
    result.started = next;
    for (auto &slot : slots) {
        curl_easy_cleanup(slot.easy);
        curl_slist_free_all(slot.headers);
    }
    curl_multi_cleanup(multi);
    return result;
}

struct WatchSet::Impl {
    struct Stream {
        Impl *owner = nullptr;
        CURL *easy = nullptr;
        curl_slist *headers = nullptr;
        std::string pending; // partial line
        std::string errorBody;
        std::vector<std::int64_t> firstSeenNs; // per seq, 0 = not yet
        std::vector<std::int64_t> sendNs;
        std::size_t events = 0;
        std::size_t errors = 0;
        std::string firstError;
        bool headersDone = false;
        bool ended = false;
        long status = 0;
    };

    std::string seqNeedle;
    std::vector<std::unique_ptr<Stream>> streams;
    CURLM *multi = curl_multi_init();
    std::mutex mutex;
    std::atomic<bool> stopping{false};
    std::thread thread;

    static size_t onHeader(char *data, size_t size, size_t count, void *user) {
        auto *stream = static_cast<Stream *>(user);
        std::string_view line(data, size * count);
        if (line == "\r\n") {
            std::lock_guard lock(stream->owner->mutex);
            curl_easy_getinfo(stream->easy, CURLINFO_RESPONSE_CODE, &stream->status);
            stream->headersDone = true;
        }
        return size * count;
    }

    static size_t onData(char *data, size_t size, size_t count, void *user) {
        auto *stream = static_cast<Stream *>(user);
        std::int64_t arrived = nowNs();
        std::lock_guard lock(stream->owner->mutex);
        if (stream->status != 200) {
            stream->errorBody.append(data, size * count);
            return size * count;
        }
        stream->pending.append(data, size * count);
        std::size_t lineStart = 0;
        for (std::size_t end; (end = stream->pending.find('\n', lineStart)) != std::string::npos;
             lineStart = end + 1) {
            std::string_view line(stream->pending.data() + lineStart, end - lineStart);
            stream->owner->onLine(*stream, line, arrived);
        }
        stream->pending.erase(0, lineStart);
        return size * count;
    }

    // A substring scan instead of a JSON parse: 100 watchers x 1,000 events/s of full pods
    // would otherwise cost the client more CPU than the server it measures.
    void onLine(Stream &stream, std::string_view line, std::int64_t arrived) {
        if (line.empty())
            return;
        ++stream.events;
        if (line.find("\"type\":\"ERROR\"") != std::string_view::npos) {
            if (stream.errors++ == 0)
                stream.firstError = std::string(line.substr(0, 300));
            return;
        }
        std::size_t at = line.find(seqNeedle);
        if (at == std::string_view::npos)
            return;
        const char *cursor = line.data() + at + seqNeedle.size();
        const char *endOfLine = line.data() + line.size();
        std::size_t seq = 0;
        while (cursor < endOfLine && *cursor >= '0' && *cursor <= '9')
            seq = seq * 10 + static_cast<std::size_t>(*cursor++ - '0');
        if (cursor >= endOfLine || *cursor != ':' || seq >= stream.firstSeenNs.size())
            return;
        ++cursor;
        std::int64_t sent = 0;
        while (cursor < endOfLine && *cursor >= '0' && *cursor <= '9')
            sent = sent * 10 + (*cursor++ - '0');
        // Later kubelet status writes carry the same annotation again: keep the first arrival.
        if (stream.firstSeenNs[seq] == 0) {
            stream.firstSeenNs[seq] = arrived;
            stream.sendNs[seq] = sent;
        }
    }

    void run() {
        while (!stopping.load()) {
            int running = 0;
            curl_multi_perform(multi, &running);
            int queued = 0;
            while (CURLMsg *message = curl_multi_info_read(multi, &queued)) {
                if (message->msg != CURLMSG_DONE)
                    continue;
                Stream *stream = nullptr;
                curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &stream);
                std::lock_guard lock(mutex);
                stream->ended = true;
                if (stream->errors++ == 0)
                    stream->firstError = "watch ended early: " +
                                         std::string(curl_easy_strerror(message->data.result)) +
                                         " HTTP " + std::to_string(stream->status) + " " +
                                         stream->errorBody.substr(0, 300);
            }
            curl_multi_poll(multi, nullptr, 0, 20, nullptr);
        }
    }
};

WatchSet::WatchSet(const Endpoint &endpoint, int watchers, const std::string &path,
                   std::string seqKey, std::size_t maxSeq)
    : m_impl(new Impl) {
    m_impl->seqNeedle = "\"" + seqKey + "\":\"";
    for (int i = 0; i < watchers; ++i) {
        auto stream = std::make_unique<Impl::Stream>();
        stream->owner = m_impl;
        stream->easy = curl_easy_init();
        stream->headers = baseHeaders(endpoint, "application/json", {});
        stream->firstSeenNs.assign(maxSeq, 0);
        stream->sendNs.assign(maxSeq, 0);
        configure(stream->easy, endpoint, "GET", path, {}, stream->headers, nullptr);
        curl_easy_setopt(stream->easy, CURLOPT_WRITEFUNCTION, Impl::onData);
        curl_easy_setopt(stream->easy, CURLOPT_WRITEDATA, stream.get());
        curl_easy_setopt(stream->easy, CURLOPT_HEADERFUNCTION, Impl::onHeader);
        curl_easy_setopt(stream->easy, CURLOPT_HEADERDATA, stream.get());
        curl_easy_setopt(stream->easy, CURLOPT_PRIVATE, stream.get());
        curl_multi_add_handle(m_impl->multi, stream->easy);
        m_impl->streams.push_back(std::move(stream));
    }
    m_impl->thread = std::thread([impl = m_impl] { impl->run(); });
}

WatchSet::~WatchSet() {
    stop();
    for (auto &stream : m_impl->streams) {
        curl_multi_remove_handle(m_impl->multi, stream->easy);
        curl_easy_cleanup(stream->easy);
        curl_slist_free_all(stream->headers);
    }
    curl_multi_cleanup(m_impl->multi);
    delete m_impl;
}

void WatchSet::stop() {
    m_impl->stopping = true;
    if (m_impl->thread.joinable())
        m_impl->thread.join();
}

bool WatchSet::waitEstablished(std::chrono::milliseconds timeout) {
    auto deadline = SteadyClock::now() + timeout;
    while (SteadyClock::now() < deadline) {
        {
            std::lock_guard lock(m_impl->mutex);
            if (std::all_of(m_impl->streams.begin(), m_impl->streams.end(),
                            [](auto &s) { return s->headersDone; }))
                return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

bool WatchSet::waitDelivered(const std::vector<std::uint8_t> &expected,
                             std::chrono::milliseconds timeout) {
    auto deadline = SteadyClock::now() + timeout;
    while (SteadyClock::now() < deadline) {
        if (summarize(expected).lost == 0)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

WatchSet::Summary WatchSet::summarize(const std::vector<std::uint8_t> &expected) const {
    Summary summary;
    std::lock_guard lock(m_impl->mutex);
    for (auto &stream : m_impl->streams) {
        summary.events += stream->events;
        summary.errors += stream->errors;
        if (summary.firstError.empty() && !stream->firstError.empty())
            summary.firstError = stream->firstError;
        for (std::size_t seq = 0; seq < expected.size(); ++seq) {
            if (!expected[seq])
                continue;
            if (stream->firstSeenNs[seq] == 0)
                ++summary.lost;
            else
                summary.deliveryMs.push_back(
                    static_cast<double>(stream->firstSeenNs[seq] - stream->sendNs[seq]) / 1e6);
        }
    }
    return summary;
}

} // namespace rf::bench
