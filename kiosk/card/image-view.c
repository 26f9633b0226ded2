/* image-view.c - see image-private.h. */
#include "image-private.h"

#include "likeletter/log.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int image_sink_fd_write(void *ctx, const uint8_t *data, size_t len)
{
    int fd = *(const int *)ctx;
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (n == 0) {
                errno = EIO;
            }
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int image_sink_memory_write(void *ctx, const uint8_t *data, size_t len)
{
    image_memory_t *m = ctx;
    if (len > m->limit || m->len > m->limit - len) {
        errno = EFBIG;
        return -1;
    }
    if (m->len + len > m->cap) {
        /* Doubling keeps a long stream of small writes linear. */
        size_t cap = m->cap ? m->cap : 64 * 1024;
        while (cap < m->len + len) {
            cap = cap > m->limit / 2 ? m->limit : cap * 2;
        }
        uint8_t *p = realloc(m->data, cap);
        if (!p) {
            errno = ENOMEM;
            return -1;
        }
        m->data = p;
        m->cap = cap;
    }
    memcpy(m->data + m->len, data, len);
    m->len += len;
    return 0;
}

int image_rotate_cw(const image_view_t *img, image_buffer_t *out)
{
    size_t bpp = (size_t)img->format, w = (size_t)img->width, h = (size_t)img->height;
    uint8_t *dst = malloc(w * h * bpp);
    if (!dst) {
        log_msg(LOG_ERROR, "out of memory turning a %zux%zu image", w, h);
        return -1;
    }
    /* Row y of the result is column y of the source, read bottom to top. */
    for (size_t y = 0; y < w; y++) {
        for (size_t x = 0; x < h; x++) {
            memcpy(dst + (y * h + x) * bpp,
                   img->pixels + (ptrdiff_t)(h - 1 - x) * img->stride + y * bpp, bpp);
        }
    }
    *out = (image_buffer_t){.pixels = dst,
                            .width = img->height,
                            .height = img->width,
                            .stride = (ptrdiff_t)(h * bpp),
                            .format = img->format,
                            .dpi = img->dpi};
    return 0;
}
