# What `cmake --install` puts in place besides the binary and its man page
# (tools/bordercov/CMakeLists.txt), and the Debian package CPack makes of it:
#   cpack -G DEB        in a build folder: bordercov_<version>_<arch>.deb
# The library, its headers, the tests and the benchmarks are not installed:
# the package is the command line program, its sample and its documentation.
include(GNUInstallDirs)

set(BORDERCOV_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/bordercov)
# The QGIS styles are compiled into the binary; these copies are for users
# who style a layer by hand.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/share/qgis/ DESTINATION ${BORDERCOV_INSTALL_DATADIR}/qgis
        FILES_MATCHING PATTERN "*.qml")
# The workspace schema for a shared workspace in PostgreSQL/PostGIS (psql -f).
install(FILES ${PROJECT_SOURCE_DIR}/share/postgis/workspace.sql
        DESTINATION ${BORDERCOV_INSTALL_DATADIR}/postgis)
# The sample workspace, with the README that gives its provenance and
# licence (the border lines are ODbL, from OpenStreetMap).
install(FILES ${PROJECT_SOURCE_DIR}/geodata/gia-lai.gpkg
              ${PROJECT_SOURCE_DIR}/geodata/vietnam-borders.geojson
              ${PROJECT_SOURCE_DIR}/geodata/README.md
        DESTINATION ${BORDERCOV_INSTALL_DATADIR}/geodata)
# The README links docs/gia-lai-coverage.png: the same layout keeps the link.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bordercov)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "bordercov developers")
set(CPACK_PACKAGE_CONTACT "bordercov developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "coverage of the self-management of a national land border")
# Debian wraps a description's lines itself no more than a terminal does:
# they are broken here, under 80 columns.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "bordercov reads a plan that gives the stretches of a national land border\n"
       "and its markers to households and teams, held as GIS layers (GeoPackage,\n"
       "Shapefile, GeoJSON, CSV). For a date, it tells which stretches and markers\n"
       "have someone responsible, how many kilometres have none, and what that is\n"
       "per commune, district and team, measured geodesically on WGS 84. It writes\n"
       "its results as styled layers and QGIS projects, finds the parties nearest\n"
       "to a gap or a place, and proposes households for the gaps.\n"
       "The Gia Lai sample workspace is in /usr/share/bordercov/geodata.")
# Installed under /usr, stripped of debug information; the shared libraries
# it links (GDAL, PROJ, GEOS, fmt, the C++ runtime) become the Depends line.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # bordercov_<version>_<arch>.deb
include(CPack)
