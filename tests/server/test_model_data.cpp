// Reading sales CSVs: columns by name, quoting, gaps; every malformed input is reported
// with file, line and field.
#include "model/sales_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace forecast {
namespace {

TEST(SalesCsv, ReadsSeriesInOrderOfFirstAppearance) {
    const auto data = parseSalesCsv("date,store,item,sales\n"
                                    "2024-01-01,1,10,5\n"
                                    "2024-01-01,2,10,7\n"
                                    "2024-01-02,1,10,6\n"
                                    "2024-01-02,2,10,8.5\n",
                                    "s.csv");
    ASSERT_TRUE(data.ok()) << data.message();
    EXPECT_EQ(data->rows, 4u);
    ASSERT_EQ(data->series.size(), 2u);
    EXPECT_EQ(data->series[0].store, "1");
    EXPECT_EQ(data->series[1].store, "2");
    EXPECT_EQ(data->series[0].values, (std::vector<double>{5, 6}));
    EXPECT_EQ(data->series[1].values, (std::vector<double>{7, 8.5}));
    EXPECT_EQ(formatDate(data->start), "2024-01-01");
    EXPECT_EQ(formatDate(data->end), "2024-01-02");
    EXPECT_EQ(formatDate(data->series[1].lastDate()), "2024-01-02");
}

TEST(SalesCsv, ColumnsByNameInAnyOrderWithExtrasAndStringKeys) {
    const auto data = parseSalesCsv("\xEF\xBB\xBF"
                                    "Sales,Item,region,Date,Store\r\n"
                                    "3,\"Widget, large\",north,2024-03-01,\"Store \"\"A\"\"\"\r\n"
                                    " 4 , Widget ,south, 2024-03-03 ,Store B\r\n",
                                    "s.csv");
    ASSERT_TRUE(data.ok()) << data.message();
    ASSERT_EQ(data->series.size(), 2u);
    EXPECT_EQ(data->series[0].store, "Store \"A\"");
    EXPECT_EQ(data->series[0].item, "Widget, large");
    EXPECT_EQ(data->series[1].store, "Store B");
    EXPECT_EQ(data->series[1].item, "Widget");
    EXPECT_EQ(data->series[1].values, (std::vector<double>{4}));
}

TEST(SalesCsv, MissingDaysAndEmptyValuesBecomeGaps) {
    const auto data = parseSalesCsv("date,store,item,sales\n"
                                    "2024-01-05,s,i,1\n"
                                    "2024-01-01,s,i,2\n"
                                    "2024-01-03,s,i,\n"
                                    "2024-01-04,s,i,NA\n"
                                    "\n",
                                    "s.csv");
    ASSERT_TRUE(data.ok()) << data.message();
    const SalesSeries &s = data->series.at(0);
    EXPECT_EQ(formatDate(s.firstDate), "2024-01-01");
    ASSERT_EQ(s.values.size(), 5u);
    EXPECT_EQ(s.values[0], 2.0);
    EXPECT_TRUE(std::isnan(s.values[1])); // no row
    EXPECT_TRUE(std::isnan(s.values[2])); // empty field
    EXPECT_TRUE(std::isnan(s.values[3])); // NA
    EXPECT_EQ(s.values[4], 1.0);
}

TEST(SalesCsv, QuotedFieldMayHoldANewlineAndLineNumbersStayRight) {
    const auto data = parseSalesCsv("date,store,item,sales\n"
                                    "2024-01-01,\"two\nlines\",i,1\n"
                                    "2024-01-02,x,i,oops\n",
                                    "s.csv");
    ASSERT_FALSE(data.ok());
    EXPECT_EQ(data.message(), "s.csv:4: field 'sales': 'oops' is not a number");
}

struct CsvErrorCase {
    const char *name;
    const char *text;
    const char *message;
};

class SalesCsvErrors : public testing::TestWithParam<CsvErrorCase> {};

TEST_P(SalesCsvErrors, NameFileLineAndField) {
    const auto data = parseSalesCsv(GetParam().text, "data/sales.csv");
    ASSERT_FALSE(data.ok());
    EXPECT_EQ(data.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SalesCsvErrors,
    testing::Values(
        CsvErrorCase{"EmptyFile", "",
                     "data/sales.csv:1: empty file; expected a header line with "
                     "date,store,item,sales"},
        CsvErrorCase{"NoHeader", "2024-01-01,1,1,5\n",
                     "data/sales.csv:1: header has no 'date' column (header is "
                     "'2024-01-01,1,1,5'; expected date,store,item,sales)"},
        CsvErrorCase{"MissingSalesColumn", "date,store,item,units\n2024-01-01,1,1,5\n",
                     "data/sales.csv:1: header has no 'sales' column (header is "
                     "'date,store,item,units'; expected date,store,item,sales)"},
        CsvErrorCase{"OnlyHeader", "date,store,item,sales\n",
                     "data/sales.csv:1: no data rows after the header"},
        CsvErrorCase{"TooFewFields", "date,store,item,sales\n2024-01-01,1,1,5\n2024-01-02,1,1\n",
                     "data/sales.csv:3: expected at least 4 fields, found 3"},
        CsvErrorCase{"BadDate", "date,store,item,sales\n2024-01-01,1,1,5\n2024-02-30,1,1,5\n",
                     "data/sales.csv:3: field 'date': '2024-02-30' is not a date of the form "
                     "YYYY-MM-DD"},
        CsvErrorCase{"SlashDate", "date,store,item,sales\n01/02/2024,1,1,5\n",
                     "data/sales.csv:2: field 'date': '01/02/2024' is not a date of the form "
                     "YYYY-MM-DD"},
        CsvErrorCase{"TextSales", "date,store,item,sales\n2024-01-01,1,1,five\n",
                     "data/sales.csv:2: field 'sales': 'five' is not a number"},
        CsvErrorCase{"TrailingJunk", "date,store,item,sales\n2024-01-01,1,1,5x\n",
                     "data/sales.csv:2: field 'sales': '5x' is not a number"},
        CsvErrorCase{"NanSales", "date,store,item,sales\n2024-01-01,1,1,nan\n",
                     "data/sales.csv:2: field 'sales': 'nan' is not a number"},
        CsvErrorCase{"InfSales", "date,store,item,sales\n2024-01-01,1,1,inf\n",
                     "data/sales.csv:2: field 'sales': 'inf' is not a number"},
        CsvErrorCase{"NegativeSales", "date,store,item,sales\n2024-01-01,1,1,-2\n",
                     "data/sales.csv:2: field 'sales': '-2' is negative"},
        CsvErrorCase{"EmptyStore", "date,store,item,sales\n2024-01-01,,1,2\n",
                     "data/sales.csv:2: field 'store': empty"},
        CsvErrorCase{"EmptyItem", "date,store,item,sales\n2024-01-01,1,\"\",2\n",
                     "data/sales.csv:2: field 'item': empty"},
        CsvErrorCase{"UnterminatedQuote", "date,store,item,sales\n2024-01-01,\"1,1,2\n",
                     "data/sales.csv:2: unterminated quoted field"},
        CsvErrorCase{"TextAfterQuote", "date,store,item,sales\n2024-01-01,\"1\"x,1,2\n",
                     "data/sales.csv:2: unexpected text after a closing quote"},
        CsvErrorCase{"Duplicate",
                     "date,store,item,sales\n2024-01-01,1,1,2\n2024-01-02,1,1,2\n"
                     "2024-01-01,1,1,3\n",
                     "data/sales.csv:4: duplicate row for date 2024-01-01, store '1', item '1' "
                     "(first given on line 2)"}),
    [](const testing::TestParamInfo<CsvErrorCase> &info) { return info.param.name; });

TEST(SalesCsv, ReadFileNamesAMissingFile) {
    const auto data = readSalesCsv("/nonexistent/sales.csv");
    ASSERT_FALSE(data.ok());
    EXPECT_EQ(data.message(), "/nonexistent/sales.csv: cannot open: not found");
}

TEST(SalesCsv, ReadsTheCheckedInFixture) {
    const std::string path =
        std::string(RF_SOURCE_DIR) + "/tests/server/testdata/model/gappy_sales.csv";
    const auto data = readSalesCsv(path);
    ASSERT_TRUE(data.ok()) << data.message();
    ASSERT_EQ(data->series.size(), 2u);
    EXPECT_EQ(data->series[0].store, "Downtown");
    EXPECT_EQ(data->series[1].item, "Espresso beans, 1kg");
    EXPECT_EQ(std::count_if(data->series[0].values.begin(), data->series[0].values.end(),
                            [](double v) { return std::isnan(v); }),
              2);
}

} // namespace
} // namespace forecast
