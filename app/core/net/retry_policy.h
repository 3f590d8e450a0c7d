#pragma once
// When and how long the HTTP engine waits before trying a request again, and the
// reconnect back-off the informers use. Pure functions of their inputs (the random source
// is injected) so tests can pin them down.

#include <QByteArray>
#include <QDateTime>

#include <chrono>
#include <functional>
#include <optional>

namespace dashboard {

// Idempotent methods may be repeated after a 5xx without changing the outcome.
bool isIdempotentMethod(const QByteArray &method);

// Whether a response with this code is worth retrying for this method: 429 always (the
// server rejected it before doing anything), 5xx only for idempotent methods (500 only when
// the server sent Retry-After, as client-go does: a plain 500 is usually a bug, not load).
bool isRetryableResponse(const QByteArray &method, int httpCode, bool hasRetryAfter);

// Retry-After as delta-seconds or HTTP-date (RFC 9110 §10.2.3), relative to `now`.
std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value,
                                                         const QDateTime &now);

// Exponential back-off with full jitter in [base/2, base] where base = initial * 2^attempt,
// capped. `unitRandom` returns a value in [0, 1).
class Backoff final {
public:
    Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds cap,
            std::function<double()> unitRandom = {});

    std::chrono::milliseconds next(); // the delay before the next attempt
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

private:
    std::chrono::milliseconds m_initial;
    std::chrono::milliseconds m_cap;
    std::function<double()> m_random;
    int m_attempt = 0;
};

} // namespace dashboard
