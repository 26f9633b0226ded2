/* image-view.c - see image-private.h. */
#include "image-private.h"

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
