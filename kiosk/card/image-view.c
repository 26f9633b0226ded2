/* image-view.c - see image-private.h. */
#include "image-private.h"

#include <stddef.h>

const char *image_view_problem(const image_view_t *img, int32_t max_side)
{
    if (!img || !img->pixels) {
        return "no pixels";
    }
    if (img->format != IMAGE_GRAY8 && img->format != IMAGE_RGB8) {
        return "unknown pixel format";
    }
    if (img->width <= 0 || img->height <= 0) {
        return "no area";
    }
    if (img->width > max_side || img->height > max_side) {
        return "too large";
    }
    if (img->stride < (ptrdiff_t)img->width * (ptrdiff_t)img->format) {
        return "stride shorter than a row";
    }
    return NULL;
}
