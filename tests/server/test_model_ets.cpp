// The ETS(A,Ad,A) recursions against a hand-worked example, initial states, missing days,
// Nelder-Mead, and maximum likelihood recovering the parameters of simulated data.
#include "model/ets.h"
#include "model/nelder_mead.h"
#include "model/random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace forecast {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// A worked example, step by step in the textbook form (Hyndman et al. 2008, table 2.1):
//   yhat = l + phi b + s_{t-7};  e = y - yhat;  l' = l + phi b + alpha e;
//   b' = phi b + beta e;  s_t = s_{t-7} + gamma e.
// alpha 0.5, beta 0.1, gamma 0.2, phi 0.9; l0 = 10, b0 = 1, season {1,-1,0,0,0,0,0}.
//   day 0: y 13    yhat 10 + 0.9 + 1 = 11.9     e 1.1   l 11.45  b 1.01   s0' 1.22
//   day 1: y 11    yhat 11.45 + 0.909 - 1 = 11.359   e -0.359
//          l = 12.359 - 0.1795 = 12.1795   b = 0.909 - 0.0359 = 0.8731   s1' = -1.0718
//   day 2: y 14    yhat 12.1795 + 0.78579 + 0 = 12.96529   e 1.03471
//          l = 12.96529 + 0.517355 = 13.482645   b = 0.78579 + 0.103471 = 0.889261
//          s2' = 0.206942
TEST(EtsRecursions, MatchHandWorkedExample) {
    const EtsParameters p{0.5, 0.1, 0.2, 0.9};
    EtsState state;
    state.level = 10.0;
    state.trend = 1.0;
    state.season = {1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    const std::array<double, 3> y{13.0, 11.0, 14.0};
    const FilterResult r = runFilter(p, state, y);
    EXPECT_EQ(r.observations, 3);
    EXPECT_NEAR(r.sse, 1.1 * 1.1 + 0.359 * 0.359 + 1.03471 * 1.03471, 1e-12);
    EXPECT_NEAR(state.level, 13.482645, 1e-12);
    EXPECT_NEAR(state.trend, 0.889261, 1e-12);
    // After 3 days, season[0] applies to day 3, which uses the untouched s3 = 0, ...
    const std::array<double, 7> season{0.0, 0.0, 0.0, 0.0, 1.22, -1.0718, 0.206942};
    for (int k = 0; k < 7; ++k) {
        EXPECT_NEAR(state.season[k], season[k], 1e-12) << "k = " << k;
    }
}

// The same recursions, written independently of the production loop, on a longer series.
TEST(EtsRecursions, MatchTextbookFormOverManyDays) {
    const EtsParameters p{0.23, 0.04, 0.11, 0.93};
    EtsState start;
    start.level = 50.0;
    start.trend = -0.3;
    start.season = {3.0, -2.0, 1.5, 0.0, -4.0, 2.5, -1.0};
    std::vector<double> y;
    Random rng(3);
    for (int t = 0; t < 200; ++t) {
        y.push_back(50.0 + 5.0 * std::sin(t * 0.9) + 3.0 * rng.normal());
    }
    double l = start.level;
    double b = start.trend;
    std::vector<double> s(start.season.begin(), start.season.end());
    double sse = 0.0;
    for (std::size_t t = 0; t < y.size(); ++t) {
        const double yhat = l + p.phi * b + s[t];
        const double e = y[t] - yhat;
        sse += e * e;
        const double lNew = l + p.phi * b + p.alpha * e;
        b = p.phi * b + p.beta * e;
        l = lNew;
        s.push_back(s[t] + p.gamma * e);
    }
    EtsState state = start;
    const FilterResult r = runFilter(p, state, y);
    EXPECT_NEAR(r.sse, sse, 1e-9 * sse);
    EXPECT_NEAR(state.level, l, 1e-10);
    EXPECT_NEAR(state.trend, b, 1e-12);
    for (int k = 0; k < 7; ++k) {
        EXPECT_NEAR(state.season[k], s[y.size() + k], 1e-10);
    }
}

TEST(EtsRecursions, MissingDayAdvancesTheStateWithoutAnError) {
    const EtsParameters p{0.5, 0.1, 0.2, 0.9};
    EtsState state;
    state.level = 10.0;
    state.trend = 1.0;
    state.season = {1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    const std::array<double, 2> y{kNan, 14.0};
    const FilterResult r = runFilter(p, state, y);
    EXPECT_EQ(r.observations, 1);
    // Day 0 missing: l = 10.9, b = 0.9. Day 1: yhat = 10.9 + 0.81 - 1 = 10.71, e = 3.29.
    EXPECT_NEAR(r.sse, 3.29 * 3.29, 1e-12);
    EXPECT_NEAR(state.level, 11.71 + 0.5 * 3.29, 1e-12);
    EXPECT_NEAR(state.trend, 0.81 + 0.1 * 3.29, 1e-12);
    EXPECT_NEAR(state.season[5], 1.0, 1e-12);               // s0 untouched (day 0 missing)
    EXPECT_NEAR(state.season[6], -1.0 + 0.2 * 3.29, 1e-12); // s1 updated
}

TEST(EtsInitialState, RecoversLineAndWeekdayProfileOfCleanData) {
    const std::array<double, 7> profile{3.0, -1.0, -2.0, 0.5, 0.5, 4.0, -5.0};
    std::vector<double> y;
    for (int t = 0; t < 400; ++t) {
        y.push_back(20.0 + 0.25 * t + profile[t % 7]);
    }
    const EtsState s = initialState(y);
    // Day 0 is described by level + trend (one step after the initial state).
    EXPECT_NEAR(s.level + s.trend, 20.0, 1e-9);
    EXPECT_NEAR(s.trend, 0.25, 1e-9);
    for (int k = 0; k < 7; ++k) {
        EXPECT_NEAR(s.season[k], profile[k], 1e-9);
    }
    // Perfect start: the recursions make no error at all.
    EtsState state = s;
    EXPECT_NEAR(runFilter({0.3, 0.1, 0.1, 1.0}, state, y).sse, 0.0, 1e-12);
}

TEST(EtsInitialState, ShortAndGappySeriesStillGetAFiniteStart) {
    std::vector<double> y{5, kNan, 7, 6, kNan, 9, 4, 5, 6, kNan, 6, 8, 9, 3};
    const EtsState s = initialState(y);
    EXPECT_TRUE(std::isfinite(s.level));
    EXPECT_TRUE(std::isfinite(s.trend));
    double sum = 0.0;
    for (double v : s.season) {
        EXPECT_TRUE(std::isfinite(v));
        sum += v;
    }
    EXPECT_NEAR(sum, 0.0, 1e-9);
}

TEST(EtsSearchSpace, TransformsStayInsideTheBoundsAndInvert) {
    for (double u0 : {-30.0, -2.0, 0.0, 3.0, 30.0}) {
        for (double u1 : {-30.0, 0.5, 30.0}) {
            const std::array<double, 4> u{u0, u1, -u0, u1};
            const EtsParameters p = paramsFromSearch(u);
            EXPECT_GE(p.alpha, kParamLower);
            EXPECT_LE(p.alpha, kParamUpper);
            EXPECT_GE(p.beta, kParamLower);
            EXPECT_LE(p.beta, p.alpha);
            EXPECT_GE(p.gamma, kParamLower);
            EXPECT_LE(p.gamma, 1.0 - p.alpha + 1e-15);
            EXPECT_GE(p.phi, kPhiLower);
            EXPECT_LE(p.phi, kPhiUpper);
        }
    }
    const EtsParameters p{0.3, 0.02, 0.1, 0.9};
    std::array<double, 4> u{};
    searchFromParams(p, u);
    const EtsParameters back = paramsFromSearch(u);
    EXPECT_NEAR(back.alpha, p.alpha, 1e-12);
    EXPECT_NEAR(back.beta, p.beta, 1e-12);
    EXPECT_NEAR(back.gamma, p.gamma, 1e-12);
    EXPECT_NEAR(back.phi, p.phi, 1e-12);
}

TEST(NelderMead, FindsTheMinimumOfRosenbrock) {
    auto rosenbrock = [](std::span<const double> x) {
        return 100.0 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1.0 - x[0], 2);
    };
    NelderMeadOptions options;
    options.maxEvaluations = 5000;
    options.functionTolerance = 1e-14;
    options.pointTolerance = 1e-8;
    const std::array<double, 2> start{-1.2, 1.0};
    const NelderMeadResult r = minimizeNelderMead(rosenbrock, start, options);
    EXPECT_TRUE(r.converged);
    EXPECT_NEAR(r.point[0], 1.0, 1e-4);
    EXPECT_NEAR(r.point[1], 1.0, 1e-4);
    EXPECT_LT(r.value, 1e-8);
}

TEST(NelderMead, StopsAtTheEvaluationBudget) {
    auto bowl = [](std::span<const double> x) { return x[0] * x[0] + x[1] * x[1] + x[2] * x[2]; };
    NelderMeadOptions options;
    options.maxEvaluations = 30;
    options.functionTolerance = 0.0;
    const std::array<double, 3> start{5.0, -3.0, 2.0};
    const NelderMeadResult r = minimizeNelderMead(bowl, start, options);
    EXPECT_FALSE(r.converged);
    EXPECT_LE(r.evaluations, 30 + 3); // a shrink may finish its round
    EXPECT_LT(r.value, 38.0);         // better than the start
}

// Data simulated from the model itself: ML must land near the true parameters, and the
// residual sigma near the true one.
TEST(EtsFit, RecoversParametersOfSimulatedData) {
    const EtsParameters truth{0.3, 0.02, 0.1, 0.9};
    const double sigma = 2.0;
    Random rng(11);
    double level = 100.0;
    double trend = 0.5;
    std::array<double, 7> season{5.0, -3.0, 2.0, 0.0, -6.0, 4.0, -2.0};
    std::vector<double> y;
    for (int t = 0; t < 3000; ++t) {
        const double e = sigma * rng.normal();
        y.push_back(level + truth.phi * trend + season[t % 7] + e);
        level = level + truth.phi * trend + truth.alpha * e;
        trend = truth.phi * trend + truth.beta * e;
        season[t % 7] += truth.gamma * e;
    }
    auto fit = fitEts(y);
    ASSERT_TRUE(fit.ok()) << fit.message();
    EXPECT_NEAR(fit->params.alpha, truth.alpha, 0.05);
    EXPECT_NEAR(fit->params.beta, truth.beta, 0.015);
    EXPECT_NEAR(fit->params.gamma, truth.gamma, 0.04);
    EXPECT_NEAR(fit->params.phi, truth.phi, 0.06);
    EXPECT_NEAR(fit->sigma, sigma, 0.1);
    EXPECT_EQ(fit->observations, 3000);
    // The optimum is at least as likely as the truth.
    EtsState atTruth = fit->initial;
    const FilterResult r = runFilter(truth, atTruth, y);
    const double truthLogLik = -0.5 * 3000 * (std::log(2 * M_PI * r.sse / 3000) + 1.0);
    EXPECT_GE(fit->logLikelihood, truthLogLik - 1e-6);
}

TEST(EtsFit, RefitFromAGoodStartNeedsFewerEvaluations) {
    Random rng(5);
    std::vector<double> y;
    for (int t = 0; t < 700; ++t) {
        y.push_back(40.0 + 0.02 * t + 6.0 * (t % 7 == 5) + 3.0 * rng.normal());
    }
    auto cold = fitEts(y);
    ASSERT_TRUE(cold.ok());
    EtsFitOptions warm;
    warm.start = &cold->params;
    auto again = fitEts(y, warm);
    ASSERT_TRUE(again.ok());
    EXPECT_LT(again->evaluations, cold->evaluations);
    EXPECT_NEAR(again->logLikelihood, cold->logLikelihood, 0.05);
}

TEST(EtsFit, TooFewObservedDaysIsAnError) {
    std::vector<double> y(30, kNan);
    for (int t = 0; t < kMinFitDays - 1; ++t) {
        y[static_cast<std::size_t>(t) * 2] = 5.0;
    }
    auto fit = fitEts(y);
    ASSERT_FALSE(fit.ok());
    EXPECT_EQ(fit.message(), "only 13 days with data; at least 14 are needed");
}

TEST(EtsFit, ConstantSeriesFitsWithZeroSigma) {
    std::vector<double> y(60, 7.0);
    auto fit = fitEts(y);
    ASSERT_TRUE(fit.ok()) << fit.message();
    EXPECT_NEAR(fit->sigma, 0.0, 1e-9);
    EXPECT_NEAR(forecastMean(fit->params, fit->state, 5), 7.0, 1e-9);
}

} // namespace
} // namespace forecast
