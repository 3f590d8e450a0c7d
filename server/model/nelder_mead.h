#pragma once
// Derivative-free minimisation for the handful of smoothing parameters of an ETS model.

#include <functional>
#include <span>
#include <vector>

namespace forecast {

struct NelderMeadOptions {
    int maxEvaluations = 1000;
    // Converged when the simplex's function values lie within this absolute spread...
    double functionTolerance = 1e-6;
    // ... and its vertices within this distance of the best one (max norm).
    double pointTolerance = 1e-5;
    double initialStep = 0.5;
    // Restarts from the best point with a fresh simplex; guards against a collapsed simplex.
    int restarts = 1;
};

struct NelderMeadResult {
    std::vector<double> point;
    double value = 0.0;
    int evaluations = 0;
    bool converged = false;
};

// Minimises f starting from `start` (standard coefficients: reflection 1, expansion 2,
// contraction 1/2, shrink 1/2). f must return a finite value or +inf for invalid points.
NelderMeadResult minimizeNelderMead(const std::function<double(std::span<const double>)> &f,
                                    std::span<const double> start,
                                    const NelderMeadOptions &options = {});

} // namespace forecast
