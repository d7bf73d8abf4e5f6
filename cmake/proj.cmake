# PROJ: CRS transformations (through OGR) and the geodesic API (geod_*).
# PROJ's version file wants the same major version; check the minimum here.
find_package(PROJ CONFIG REQUIRED)
if(PROJ_VERSION VERSION_LESS 8.0)
  message(FATAL_ERROR "bordercov needs PROJ >= 8.0, found ${PROJ_VERSION}")
endif()
message(STATUS "PROJ ${PROJ_VERSION}")
