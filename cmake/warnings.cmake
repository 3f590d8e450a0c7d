# Project-wide warning flags, applied per target with rf_warnings(<target>).
function(rf_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
endfunction()
