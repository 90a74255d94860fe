# Strict warnings for the project's own targets (never for third-party code).
function(idpack_picky_warnings target)
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic
      -Wshadow -Wconversion -Wsign-conversion -Wstrict-prototypes
      -Wmissing-prototypes -Wold-style-definition -Wformat=2
      -Wundef -Wpointer-arith -Wcast-qual -Wwrite-strings
      -Wnull-dereference -Wdouble-promotion -Wvla
      -Wimplicit-fallthrough)
    if(IDPACK_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
  target_compile_definitions(${target} PRIVATE _POSIX_C_SOURCE=200809L)
endfunction()
