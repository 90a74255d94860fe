/* STUB: idpack check is being written. */
#include "tool.h"
int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return EXIT_SOFTWARE;
}
