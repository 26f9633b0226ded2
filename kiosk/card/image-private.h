/* image-private.h - checks shared by the image writers. */
#ifndef LIKELETTER_IMAGE_PRIVATE_H
#define LIKELETTER_IMAGE_PRIVATE_H

#include "likeletter/image.h"

/* Why img cannot be written (at most max_side pixels a side), or NULL when it can. */
const char *image_view_problem(const image_view_t *img, int32_t max_side);

#endif
