// Boost.JSON compiled into the fuzzer itself (header-only mode), so the parser is
// instrumented too and coverage feedback reaches into it.
#include <boost/json/src.hpp>
