/* idp_exif: orientation, camera and GPS flags from an EXIF block, read
 * with libexif. */
#include "idp_exif.h"

#include "idp_io.h"

#include <libexif/exif-data.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char exif_header[6] = {'E', 'x', 'i', 'f', 0, 0};

static bool has_tag(ExifData *ed, ExifTag tag)
{
    return exif_content_get_entry(ed->ifd[EXIF_IFD_0], tag) != NULL ||
           exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], tag) != NULL;
}

static int orientation_of(ExifData *ed)
{
    /* Only IFD0 describes the main image (IFD1 is the thumbnail). */
    ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
    ExifShort v;

    if (e == NULL || e->data == NULL || e->format != EXIF_FORMAT_SHORT || e->components < 1 ||
        e->size < 2)
        return 1;
    v = exif_get_short(e->data, exif_data_get_byte_order(ed));
    return v >= 1 && v <= 8 ? (int)v : 1;
}

void idp_exif_summarize(const uint8_t *data, size_t len, idp_exif_summary *out)
{
    unsigned char *copy = NULL;
    size_t copy_len = 0;
    ExifData *ed = NULL;

    out->orientation = 1;
    out->has_camera = false;
    out->has_gps = false;
    if (data == NULL || len < 8 || len > UINT_MAX - sizeof(exif_header))
        return;
    if (len < sizeof(exif_header) || memcmp(data, exif_header, sizeof(exif_header)) != 0) {
        /* libexif wants the "Exif\0\0" header (JPEG APP1 form); a PNG eXIf
         * chunk and our JPEG wrapper give the bare TIFF structure. */
        copy_len = len + sizeof(exif_header);
        copy = malloc(copy_len);
        if (copy == NULL)
            return;
        memcpy(copy, exif_header, sizeof(exif_header));
        memcpy(copy + sizeof(exif_header), data, len);
        data = copy;
        len = copy_len;
    }
    ed = exif_data_new();
    if (ed == NULL)
        goto out;
    /* Read what is there; never "fix" the data by adding mandatory tags. */
    exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_load_data(ed, data, (unsigned int)len);
    out->orientation = orientation_of(ed);
    out->has_camera = has_tag(ed, EXIF_TAG_MAKE) || has_tag(ed, EXIF_TAG_MODEL) ||
                      has_tag(ed, EXIF_TAG_EXPOSURE_TIME) || has_tag(ed, EXIF_TAG_FNUMBER);
    out->has_gps = ed->ifd[EXIF_IFD_GPS] != NULL && ed->ifd[EXIF_IFD_GPS]->count > 0;
out:
    if (ed != NULL)
        exif_data_unref(ed);
    idp_free_wiped(copy, copy_len);
}
