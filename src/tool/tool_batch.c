/* STUB: idpack batch is being written. */
#include "tool.h"
int cmd_batch(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("idpack batch: not available yet\n", stderr);
    return EXIT_SOFTWARE;
}
