# The man page idpack.1, generated at build time by help2man from the
# --help texts themselves (one source): `idpack --help` and --version make
# NAME, SYNOPSIS and DESCRIPTION, each command's --help is added as a
# COMMANDS section (cmake/ManCommands.cmake), and data/idpack.h2m adds
# EXIT STATUS, ENVIRONMENT, FILES, EXAMPLES and SEE ALSO.
option(IDPACK_MANPAGE "Generate the man page idpack.1 with help2man" ON)
if(IDPACK_MANPAGE)
  find_program(HELP2MAN_EXECUTABLE help2man)
  if(NOT HELP2MAN_EXECUTABLE)
    message(FATAL_ERROR "help2man not found: install it (Debian package help2man) "
                        "or configure with -DIDPACK_MANPAGE=OFF")
  endif()
  set(IDPACK_MAN ${PROJECT_BINARY_DIR}/idpack.1)
  set(IDPACK_MAN_COMMANDS ${PROJECT_BINARY_DIR}/generated/idpack-commands.h2m)
  add_custom_command(
    OUTPUT ${IDPACK_MAN}
    COMMAND ${CMAKE_COMMAND} -DIDPACK=$<TARGET_FILE:idpack> -DOUT=${IDPACK_MAN_COMMANDS}
            -P ${PROJECT_SOURCE_DIR}/cmake/ManCommands.cmake
    COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C.UTF-8 ${HELP2MAN_EXECUTABLE}
            --no-info --section=1 --source=idpack
            "--name=prepare the ID photos and request that recover an Amazon seller account"
            --include=${PROJECT_SOURCE_DIR}/data/idpack.h2m
            --include=${IDPACK_MAN_COMMANDS}
            --output=${IDPACK_MAN} $<TARGET_FILE:idpack>
    DEPENDS idpack ${PROJECT_SOURCE_DIR}/data/idpack.h2m ${PROJECT_SOURCE_DIR}/cmake/ManCommands.cmake
    COMMENT "Generating the man page idpack.1 from the --help texts"
    VERBATIM)
  add_custom_target(idpack_man ALL DEPENDS ${IDPACK_MAN})
  install(FILES ${IDPACK_MAN} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
