#pragma once
// ETS(A,Ad,A) with period 7: the recursions, heuristic initial states and maximum-likelihood
// fitting of the smoothing parameters (docs/model.md). Daily values are passed as a dense
// span starting at the series' first day; NaN marks a day without data.

#include "model/forecast_model.h"

#include <span>

namespace forecast {

// Parameter bounds ("usual" region, as in Hyndman et al. 2008 and R's forecast::ets):
// alpha in [lo, hi], beta in [lo, alpha], gamma in [lo, 1 - alpha], phi in [phiLo, phiHi].
inline constexpr double kParamLower = 1e-4;
inline constexpr double kParamUpper = 0.9999;
inline constexpr double kPhiLower = 0.8;
inline constexpr double kPhiUpper = 0.98;
// Fewest observed days a series needs to be fitted at all.
inline constexpr int kMinFitDays = 2 * kSeasonPeriod;

struct FilterResult {
    double sse = 0.0;     // sum of squared one-step errors over observed days
    int observations = 0; // observed (non-NaN) days
};

// Runs the recursions over y from `state`, which becomes the state after the last day.
// A missing day advances the state without an error term.
FilterResult runFilter(const EtsParameters &params, EtsState &state, std::span<const double> y);

// Starting state from the first weeks: a pooled within-weekday regression gives the level,
// the slope and the weekday effects (sum zero). `season[k]` applies to day k of y.
EtsState initialState(std::span<const double> y);

struct EtsFitOptions {
    int maxEvaluations = 1000;
    // Convergence on -2 log-likelihood (units of the likelihood, not relative).
    double tolerance = 1e-3;
    // Convergence on the search coordinates (logit units); the default leaves it to the
    // likelihood, since a parameter drifting along a flat ridge to its bound changes nothing.
    double pointTolerance = 1e300;
    // Fresh simplexes from the best point after convergence (guards against a collapsed one).
    int restarts = 1;
    // Where the search starts; nullptr uses generic defaults. A refit passes the previous fit.
    const EtsParameters *start = nullptr;
};

struct EtsFit {
    EtsParameters params;
    EtsState initial; // state before the first day
    EtsState state;   // state after the last day
    double sigma = 0.0;
    double logLikelihood = 0.0; // Gaussian, with sigma^2 at its ML value sse / n
    int observations = 0;
    int evaluations = 0;
};

// Maximum-likelihood fit (concentrated Gaussian likelihood, n log(SSE / n) minimised by
// Nelder-Mead over bounded-transformed parameters).
rf::Result<EtsFit> fitEts(std::span<const double> y, const EtsFitOptions &options = {});

// Parameters <-> unconstrained search coordinates (logistic transforms of the bounds above).
EtsParameters paramsFromSearch(std::span<const double> u);
void searchFromParams(const EtsParameters &params, std::span<double> u);

} // namespace forecast
