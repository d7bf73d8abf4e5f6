# GEOS (C API): polygon validity with reason and location.
find_package(GEOS CONFIG REQUIRED)
if(GEOS_VERSION VERSION_LESS 3.10)
  message(FATAL_ERROR "bordercov needs GEOS >= 3.10, found ${GEOS_VERSION}")
endif()
message(STATUS "GEOS ${GEOS_VERSION}")
