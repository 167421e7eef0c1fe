# Every third-party dependency, found once. All come from Debian bookworm packages
# (scripts/setup-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS system)
find_package(simdjson 3 CONFIG REQUIRED)
find_package(libjpeg-turbo CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(CURL REQUIRED)
find_package(PNG REQUIRED)
find_package(ZLIB REQUIRED) # crc32 for the ZIP writer
find_package(PkgConfig REQUIRED)
pkg_check_modules(WEBP REQUIRED IMPORTED_TARGET libwebp libwebpdemux)
# Debian's libzip CMake config is broken (it wants /usr/bin/zipcmp); pkg-config works.
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(CODECS_EXTRA REQUIRED IMPORTED_TARGET libtiff-4 libavif libheif)
find_library(GIF_LIBRARY gif REQUIRED)
set_property(TARGET PkgConfig::CODECS_EXTRA APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${GIF_LIBRARY})

# CAF 0.17.6 ships neither a CMake config nor a .pc file.
find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
add_library(CAF::core UNKNOWN IMPORTED)
set_target_properties(CAF::core PROPERTIES
  IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES Threads::Threads)
