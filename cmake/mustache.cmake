# kainjow's Mustache for C++ (header-only; Debian: libkainjow-mustache-dev),
# the templates of the report (share/report/).
find_path(BORDERCOV_MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp)
if(NOT BORDERCOV_MUSTACHE_INCLUDE_DIR)
  message(FATAL_ERROR "kainjow/mustache.hpp not found (Debian: apt install libkainjow-mustache-dev; "
                      "tools/install-deps does).")
endif()
add_library(bordercov_mustache INTERFACE)
target_include_directories(bordercov_mustache SYSTEM INTERFACE ${BORDERCOV_MUSTACHE_INCLUDE_DIR})
