# GDAL/OGR: every read and write of a workspace or an output.
# GDAL's own version file accepts only its exact minor version, so check here.
find_package(GDAL CONFIG REQUIRED)
if(GDAL_VERSION VERSION_LESS 3.4)
  message(FATAL_ERROR "bordercov needs GDAL >= 3.4, found ${GDAL_VERSION}")
endif()
message(STATUS "GDAL ${GDAL_VERSION}")
# SQLite: a GeoPackage's packed spatial index is written through GDAL's own
# connection to the file (detail/gpkg_rtree.cpp), with prepared statements.
find_package(SQLite3 REQUIRED)
