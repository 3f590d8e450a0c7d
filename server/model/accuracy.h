#pragma once
// Holdout accuracy measures: MASE scaled by the in-sample seasonal-naive MAE, sMAPE, interval
// coverage, and the seasonal-naive baseline the model must beat (docs/model.md).

#include "model/forecast_model.h"

#include <span>
#include <vector>

namespace forecast {

// Mean absolute one-season-back difference over the training days (both days observed).
// Falls back to the one-day-back MAE, then to the mean absolute level, then to 1, so a flat
// series still gets a finite scale.
double seasonalNaiveScale(std::span<const double> train);

// "Same weekday last week" repeated over the horizon; a missing day looks further back.
std::vector<double> seasonalNaiveForecast(std::span<const double> train, int horizon);

struct HoldoutForecast {
    std::vector<double> mean;
    std::vector<double> lower; // 10% quantile
    std::vector<double> upper; // 90% quantile
};

// Scores the model's and the baseline's forecasts against the actual holdout days (NaN days
// are skipped). Returns days = 0 when no holdout day has data.
Accuracy scoreHoldout(std::span<const double> train, std::span<const double> actual,
                      const HoldoutForecast &model);

// Symmetric MAPE term in percent; 0 when both are 0.
double smapeTerm(double actual, double forecast);

} // namespace forecast
