# Small libraries of the command line and the reports.
find_package(CLI11 2.1 CONFIG REQUIRED)
find_package(nlohmann_json 3.9 CONFIG REQUIRED)
find_package(fmt 8 CONFIG REQUIRED)
message(STATUS "CLI11 ${CLI11_VERSION}, nlohmann_json ${nlohmann_json_VERSION}, fmt ${fmt_VERSION}")
