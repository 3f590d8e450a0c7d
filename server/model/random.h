#pragma once
// Deterministic pseudo-random numbers for synthetic data. std:: distributions are not used
// on purpose: their algorithms differ between standard libraries, and the synthetic data set
// must be byte-identical for a seed. xoshiro256** seeded through splitmix64.

#include <cstdint>

namespace forecast {

class Random final {
public:
    explicit Random(std::uint64_t seed);

    std::uint64_t next();
    // Uniform on [0, 1) with 53 random bits.
    double uniform();
    // Uniform on [lo, hi).
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer on [0, n).
    std::uint64_t below(std::uint64_t n);
    // Standard normal (polar Box-Muller; the spare value is kept).
    double normal();
    // Poisson(mean): multiplication method below 30, transformed rejection (PTRS,
    // Hoermann 1993) above.
    std::int64_t poisson(double mean);

    // Independent stream for a sub-task (e.g. one per series), derived from this seed.
    static Random derive(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0);

private:
    std::uint64_t m_s[4]{};
    double m_spare = 0.0;
    bool m_hasSpare = false;
};

} // namespace forecast
