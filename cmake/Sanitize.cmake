# IDPACK_SANITIZE=ON builds the project's targets with ASan and UBSan.
function(idpack_sanitize target)
  if(IDPACK_SANITIZE)
    target_compile_options(${target} PRIVATE
      -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
