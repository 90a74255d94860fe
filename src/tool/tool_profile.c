/* STUB: idpack profile is being written. */
#include "tool.h"
int cmd_profile(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("idpack profile: not available yet\n", stderr);
    return EXIT_SOFTWARE;
}
