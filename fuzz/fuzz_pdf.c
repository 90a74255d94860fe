/* fuzz_pdf: PDF scans through the library's public load API
 * (idp_probe_memory, idp_load_memory), with the tight limits of
 * fuzz_ctx() so that no input can exhaust memory. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load_image(data, size);
    return 0;
}
