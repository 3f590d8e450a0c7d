#pragma once
// A realistic, deterministic demo data set: daily unit sales per store and item with store and
// item level differences, trends that change slope, weekly and yearly seasonality, holidays,
// promotions, slow random drifts, store-wide level shifts and count noise.

#include "model/sales_data.h"

#include <cstdint>
#include <string>

namespace forecast {

struct SynthesizeOptions {
    int stores = 10;
    int items = 50;
    Date start = Date{std::chrono::year{2021} / 1 / 1};
    int days = 1826;
    std::uint64_t seed = 42;
};

// Store and item names are "1", "2", ...; series are ordered by store, then item.
SalesData synthesize(const SynthesizeOptions &options);
// date,store,item,sales rows sorted by store, item, date; sales written as integers.
std::string formatSalesCsv(const SalesData &data);

// Multiplicative effect of the calendar's holidays on demand (1 = ordinary day). Exposed for
// tests and docs; items scale these effects by their own sensitivity.
double holidayEffect(Date date);

} // namespace forecast
