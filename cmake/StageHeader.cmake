# cmake -DIN=HEADER -DOUT=STAGED -DAWK_SCRIPT=public-header.awk -P StageHeader.cmake:
# HEADER as installed (the IDP_INTERNAL parts cut out), written to a
# temporary file beside STAGED and renamed over it, so that a failed run
# leaves no half-written header behind.
execute_process(COMMAND awk -f ${AWK_SCRIPT} ${IN}
                OUTPUT_FILE ${OUT}.tmp COMMAND_ERROR_IS_FATAL ANY)
file(RENAME ${OUT}.tmp ${OUT})
