/* STUB: idpack drop is being written. */
#include "tool.h"
int cmd_drop(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("idpack drop: not available yet\n", stderr);
    return EXIT_SOFTWARE;
}
