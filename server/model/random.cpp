#include "model/random.h"

#include <cmath>

namespace forecast {

namespace {

std::uint64_t splitmix64(std::uint64_t &x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

// log(k!) via the reentrant lgamma_r: std::lgamma writes the global signgam.
double logFactorial(double k) {
    int sign = 0;
    return ::lgamma_r(k + 1.0, &sign);
}

} // namespace

Random::Random(std::uint64_t seed) {
    for (std::uint64_t &s : m_s) {
        s = splitmix64(seed);
    }
}

Random Random::derive(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
    std::uint64_t x = seed;
    std::uint64_t mixed = splitmix64(x) ^ (a * 0xd1342543de82ef95ULL);
    mixed = splitmix64(mixed) ^ (b * 0x2545f4914f6cdd1dULL);
    return Random(splitmix64(mixed));
}

std::uint64_t Random::next() {
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

double Random::uniform() {
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::uint64_t Random::below(std::uint64_t n) {
    // Rejection keeps it unbiased; n is small here so this almost never loops.
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x = next();
    while (x >= limit) {
        x = next();
    }
    return x % n;
}

double Random::normal() {
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spare;
    }
    double u = 0.0;
    double v = 0.0;
    double s = 0.0;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    m_spare = v * f;
    m_hasSpare = true;
    return u * f;
}

std::int64_t Random::poisson(double mean) {
    if (!(mean > 0.0)) {
        return 0;
    }
    if (mean < 30.0) {
        const double limit = std::exp(-mean);
        std::int64_t k = 0;
        double product = uniform();
        while (product > limit) {
            ++k;
            product *= uniform();
        }
        return k;
    }
    // PTRS: a transformed-rejection sampler whose acceptance rate is ~90% for any mean.
    const double slam = std::sqrt(mean);
    const double logMean = std::log(mean);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        const double u = uniform() - 0.5;
        const double v = uniform();
        const double us = 0.5 - std::abs(u);
        const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= vr) {
            return static_cast<std::int64_t>(k);
        }
        if (k < 0.0 || (us < 0.013 && v > us)) {
            continue;
        }
        if (std::log(v) + std::log(invAlpha) - std::log(a / (us * us) + b) <=
            -mean + k * logMean - logFactorial(k)) {
            return static_cast<std::int64_t>(k);
        }
    }
}

} // namespace forecast
