# libidpack for programs outside the tree (docs/library.md).
#
# idpack_lib (the static archive the tool, the tests and the fuzz targets
# link) is compiled position independent with every symbol hidden; the
# shared library is linked from the very same objects, so it exports only
# the functions marked IDP_API in the public headers. IDP_INTERNAL, defined
# for everything built in this tree, shows the library's own declarations
# in those headers; a program outside the tree sees only the public API.
set_target_properties(idpack_lib PROPERTIES
  POSITION_INDEPENDENT_CODE ON
  C_VISIBILITY_PRESET hidden)
target_compile_definitions(idpack_lib PUBLIC IDP_INTERNAL)
target_include_directories(idpack_lib PUBLIC ${PROJECT_BINARY_DIR}/include/idpack)

# The umbrella header, with the version macros.
configure_file(${PROJECT_SOURCE_DIR}/include/idpack/idpack.h.in
               ${PROJECT_BINARY_DIR}/include/idpack/idpack.h @ONLY)

# The public headers: what a program needs to check a photo, build a
# package and verify one. Every other header under src/ stays private.
set(IDPACK_PUBLIC_HEADERS
  ${PROJECT_BINARY_DIR}/include/idpack/idpack.h
  ${PROJECT_SOURCE_DIR}/src/common/idp_ctx.h
  ${PROJECT_SOURCE_DIR}/src/check/idp_policy.h
  ${PROJECT_SOURCE_DIR}/src/check/idp_check.h
  ${PROJECT_SOURCE_DIR}/src/fill/idp_form.h
  ${PROJECT_SOURCE_DIR}/src/builder/idp_build.h
  ${PROJECT_SOURCE_DIR}/src/package/idp_package.h
  ${PROJECT_SOURCE_DIR}/src/common/idp_util.h
  ${PROJECT_SOURCE_DIR}/src/pdf/idp_font.h
  ${PROJECT_SOURCE_DIR}/src/detect/idp_detect.h
  ${PROJECT_SOURCE_DIR}/src/mrz/idp_mrz.h
  ${PROJECT_SOURCE_DIR}/src/normalize/idp_normalize.h
  ${PROJECT_SOURCE_DIR}/src/package/idp_reference.h
  ${PROJECT_SOURCE_DIR}/src/ledger/idp_ledger.h
  ${PROJECT_SOURCE_DIR}/src/builder/idp_build_record.h
  ${PROJECT_SOURCE_DIR}/src/batch/idp_batch.h
  ${PROJECT_SOURCE_DIR}/src/fill/idp_template.h
  ${PROJECT_SOURCE_DIR}/src/fill/idp_profile.h
  ${PROJECT_SOURCE_DIR}/src/drop/idp_drop.h)

# The headers as installed, staged in the build tree: the IDP_INTERNAL parts
# cut out (public-header.awk), made again when a header changes. The tool
# compiles against these alone, as a program outside the tree does, and
# `cmake --install` copies them.
set(IDPACK_PUBLIC_INCLUDEDIR ${PROJECT_BINARY_DIR}/public/idpack)
set(IDPACK_STAGED_HEADERS)
foreach(h IN LISTS IDPACK_PUBLIC_HEADERS)
  get_filename_component(name ${h} NAME)
  set(staged ${IDPACK_PUBLIC_INCLUDEDIR}/${name})
  add_custom_command(
    OUTPUT ${staged}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${IDPACK_PUBLIC_INCLUDEDIR}
    COMMAND ${CMAKE_COMMAND} -DIN=${h} -DOUT=${staged}
            -DAWK_SCRIPT=${PROJECT_SOURCE_DIR}/cmake/public-header.awk
            -P ${PROJECT_SOURCE_DIR}/cmake/StageHeader.cmake
    DEPENDS ${h} ${PROJECT_SOURCE_DIR}/cmake/public-header.awk
            ${PROJECT_SOURCE_DIR}/cmake/StageHeader.cmake
    COMMENT "Staging the public header ${name}"
    VERBATIM)
  list(APPEND IDPACK_STAGED_HEADERS ${staged})
endforeach()
add_custom_target(idpack_public_headers ALL DEPENDS ${IDPACK_STAGED_HEADERS})
# What a program outside the tree gets: the staged headers and the shared
# library (the tool links this: CMakeLists.txt).
add_library(idpack_public INTERFACE)
target_include_directories(idpack_public INTERFACE ${IDPACK_PUBLIC_INCLUDEDIR})
target_link_libraries(idpack_public INTERFACE idpack_shared)

# The SONAME changes whenever the ABI breaks: with the major version from
# 1.0 on, with the minor one before (0.x: a new minor version may break it,
# as the CMake package's SameMinorVersion says).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(IDPACK_SOVERSION 0.${PROJECT_VERSION_MINOR})
else()
  set(IDPACK_SOVERSION ${PROJECT_VERSION_MAJOR})
endif()

get_target_property(IDPACK_LIB_DEPS idpack_lib LINK_LIBRARIES)
add_library(idpack_shared SHARED $<TARGET_OBJECTS:idpack_lib>)
target_link_libraries(idpack_shared PRIVATE ${IDPACK_LIB_DEPS})
# Every symbol resolved at link time (not under the sanitizers: clang leaves
# their runtime out of shared libraries).
if(NOT IDPACK_SANITIZE AND NOT IDPACK_FUZZ)
  target_link_options(idpack_shared PRIVATE -Wl,-z,defs)
endif()
target_include_directories(idpack_shared INTERFACE
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/idpack>)
set_target_properties(idpack_shared PROPERTIES
  OUTPUT_NAME idpack
  EXPORT_NAME idpack
  VERSION ${PROJECT_VERSION}
  SOVERSION ${IDPACK_SOVERSION}
  C_VISIBILITY_PRESET hidden)
idpack_sanitize(idpack_shared)

# pkg-config: relocatable (the prefix from where idpack.pc is found), so
# `cmake --install --prefix DIR` gives a working file in any DIR.
file(RELATIVE_PATH IDPACK_PC_TO_PREFIX
     ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" IDPACK_PC_TO_PREFIX "${IDPACK_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/idpack.pc.in
               ${PROJECT_BINARY_DIR}/idpack.pc @ONLY)

install(TARGETS idpack_shared EXPORT idpackTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS idpack_lib ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
# The headers as installed are the staged ones.
install(FILES ${IDPACK_STAGED_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/idpack)
install(FILES ${PROJECT_BINARY_DIR}/idpack.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The CMake package: find_package(idpack) gives the imported target idpack::idpack.
include(CMakePackageConfigHelpers)
set(IDPACK_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/idpack)
install(EXPORT idpackTargets NAMESPACE idpack:: FILE idpackTargets.cmake
        DESTINATION ${IDPACK_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/idpackConfig.cmake.in
  ${PROJECT_BINARY_DIR}/idpackConfig.cmake INSTALL_DESTINATION ${IDPACK_CMAKEDIR})
# 0.x: a new minor version may change the API (docs/library.md, "ABI").
write_basic_package_version_file(${PROJECT_BINARY_DIR}/idpackConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/idpackConfig.cmake
              ${PROJECT_BINARY_DIR}/idpackConfigVersion.cmake
        DESTINATION ${IDPACK_CMAKEDIR})
