/* What the checks are told about an image the test made in memory. */
#ifndef IDP_TESTUTIL_IMAGE_H
#define IDP_TESTUTIL_IMAGE_H

#include "idp_image.h"
#include "idp_load.h"

/* The info of img as a phone camera's JPEG gives it: its size, upright,
 * 8-bit RGB, with EXIF naming a camera. */
idp_image_info tu_camera_info(const idp_image *img);

#endif
