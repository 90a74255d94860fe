/* STUB: idpack normalize is being written. */
#include "tool.h"
int cmd_normalize(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return EXIT_SOFTWARE;
}
