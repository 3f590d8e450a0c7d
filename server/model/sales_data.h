#pragma once
// Daily sales per store and item, read from a CSV with a header naming the columns
// date, store, item and sales (any order, other columns ignored, RFC 4180 quoting).

#include "model/forecast_model.h"

#include <string>
#include <string_view>
#include <vector>

namespace forecast {

struct SalesSeries {
    std::string store;
    std::string item;
    Date firstDate{}; // first day with a row for this series
    // One value per calendar day from firstDate to the series' last row; NaN where the file
    // has no row for that day or the sales field is empty or NA.
    std::vector<double> values;

    Date lastDate() const { return firstDate + std::chrono::days{values.size() - 1}; }
};

struct SalesData {
    std::vector<SalesSeries> series; // in order of first appearance in the file
    std::size_t rows = 0;
    Date start{}; // earliest date over all series
    Date end{};   // latest date over all series
};

// The error names the source, line and field: "sales.csv:17: field 'sales': ...".
rf::Result<SalesData> parseSalesCsv(std::string_view text, std::string_view sourceName);
rf::Result<SalesData> readSalesCsv(const std::string &path);

} // namespace forecast
