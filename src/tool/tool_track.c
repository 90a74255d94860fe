/* STUB: idpack track is being written. */
#include "tool.h"
int cmd_track(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("idpack track: not available yet\n", stderr);
    return EXIT_SOFTWARE;
}
