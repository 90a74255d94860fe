/* STUB: the generator of synthetic ID photos is being written. */
#include <stdio.h>
int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 0;
}
