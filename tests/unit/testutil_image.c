#include "testutil_image.h"

#include <string.h>

idp_image_info tu_camera_info(const idp_image *img)
{
    idp_image_info info;
    memset(&info, 0, sizeof(info));
    info.format = IDP_FORMAT_JPEG;
    info.width = info.stored_width = img->width;
    info.height = info.stored_height = img->height;
    info.orientation = 1;
    info.bit_depth = 8;
    info.colour = IDP_SRC_RGB;
    info.has_exif = info.has_camera = true;
    return info;
}
