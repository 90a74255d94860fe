# cmake -DIDPACK=path/to/idpack -DOUT=file.h2m -P ManCommands.cmake
# Writes a help2man include file with a COMMANDS section: the --help text of
# every command listed by `idpack --help`, verbatim (no-fill roff).
execute_process(COMMAND ${IDPACK} --help OUTPUT_VARIABLE top RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${IDPACK} --help exited ${rc}")
endif()
string(REGEX MATCH "Commands:\n([^\n]+\n)+" listing "${top}")
string(REGEX MATCHALL "\n  [a-z]+  " names "${listing}")
if(NOT names)
  message(FATAL_ERROR "no command list in `idpack --help`")
endif()
set(text "[COMMANDS]\n")
# Subcommands with a help of their own, after their command's.
set(subcommands "batch report")
foreach(n IN LISTS names)
  string(STRIP "${n}" cmd)
  list(APPEND cmds "${cmd}")
  foreach(sub IN LISTS subcommands)
    if(sub MATCHES "^${cmd} ")
      list(APPEND cmds "${sub}")
    endif()
  endforeach()
endforeach()
foreach(cmd IN LISTS cmds)
  string(REPLACE " " ";" words "${cmd}")
  execute_process(COMMAND ${IDPACK} ${words} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR help STREQUAL "")
    # Left out, not fatal: a command still being written must not break
    # the build; tests/cli/test_help.sh fails on it instead.
    message(WARNING "`idpack ${cmd} --help` exited ${rc} or printed nothing: left out of idpack.1")
    continue()
  endif()
  # roff: backslashes, hyphens that must stay ASCII (options are copied
  # from man pages), and lines that would start a request.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REPLACE "-" "\\-" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'[])" "\\1\\\\&\\2" help "${help}")
  # Non-ASCII letters as roff escapes: man renders them right in every
  # locale (raw UTF-8 in a page depends on how man guesses its encoding).
  foreach(pair "ä;u00E4" "ö;u00F6" "ü;u00FC" "Ä;u00C4" "Ö;u00D6" "Ü;u00DC" "ß;u00DF"
               "à;u00E0" "è;u00E8" "é;u00E9" "ì;u00EC" "ò;u00F2" "ù;u00F9" "ç;u00E7"
               "ñ;u00F1" "—;u2014" "–;u2013")
    list(GET pair 0 from)
    list(GET pair 1 to)
    string(REPLACE "${from}" "\\[${to}]" help "${help}")
  endforeach()
  if(help MATCHES "[^\t\n -~]")
    message(WARNING "`idpack ${cmd} --help` has a character cmake/ManCommands.cmake does not escape")
  endif()
  string(APPEND text ".SS \"idpack ${cmd}\"\n.nf\n${help}.fi\n")
endforeach()
file(WRITE ${OUT} "${text}")
