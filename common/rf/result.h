#pragma once
// Errors as values (STYLE.md rule 6): a Result<T> holds either a T or an Error with a
// user-facing message (or another error type E with a `message` member). Failures never cross layers as exceptions.

#include <string>
#include <utility>
#include <variant>

namespace rf {

struct Error {
    std::string message;
};

template <class T, class E = Error>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(E error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const E &error() const { return std::get<1>(m_v); }
    const std::string &message() const { return error().message; }

private:
    std::variant<T, E> m_v;
};

// Result<void> equivalent.
struct Ok {};
using Status = Result<Ok>;
inline Status ok() { return Ok{}; }

inline Error fail(std::string message) { return Error{std::move(message)}; }

} // namespace rf
