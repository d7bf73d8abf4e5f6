# Boost.Geometry (header only): R-trees and point-in-polygon on the hot path.
find_package(Boost 1.71 REQUIRED)
message(STATUS "Boost ${Boost_VERSION}")
