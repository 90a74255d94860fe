/* fuzz_pdf: PDF scans through the library's public load API
 * (idp_probe_memory, idp_load_memory), with the tight limits of
 * fuzz_ctx() so that no input can exhaust memory. poppler runs in the
 * program idpack-pdf-render (src/load/idp_pdf_proto.h), the one built
 * beside this target unless IDPACK_PDF_RENDER names another. */
#include "fuzz_util.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;

    if (!ready) {
        (void)setenv("IDPACK_PDF_RENDER", IDP_FUZZ_PDF_RENDER, 0);
        ready = 1;
    }
    fuzz_load_image(data, size);
    return 0;
}
