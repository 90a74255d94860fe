# What `cmake --install` puts where (GNUInstallDirs). The tool finds its
# data relative to its own binary, PREFIX/share/idpack (src/tool/tool_paths.c),
# so an installed idpack works from any folder and any prefix.
set(IDPACK_DATADIR ${CMAKE_INSTALL_DATADIR}/idpack)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/templates/
        DESTINATION ${IDPACK_DATADIR}/templates
        FILES_MATCHING PATTERN "*.json" PATTERN "sample-form.txt")
# The specimen photos are generated at build time (tests/images).
install(FILES ${PROJECT_BINARY_DIR}/specimen/specimen-front.jpg
              ${PROJECT_BINARY_DIR}/specimen/specimen-back.jpg
        DESTINATION ${IDPACK_DATADIR}/specimen)
# Drag and drop: the desktop entry and its icon.
install(FILES ${PROJECT_SOURCE_DIR}/data/idpack.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/data/idpack.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PROJECT_SOURCE_DIR}/data/idpack.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME idpack)
