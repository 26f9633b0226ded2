/* pwg-read.c - for the integration tests: reads a PWG raster file back with the libcups raster
 * API, prints its first page's header ("1240x1748 300x300dpi srgb_8 iso_a6_105x148mm pages=1")
 * and writes that page as PNG, so zbarimg can decode the QR code from what the printer got. */
#include "likeletter/image.h"

#include <cups/raster.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int page_read(cups_raster_t *r, const cups_page_header2_t *h, const char *png)
{
    size_t n = h->cupsBytesPerLine;
    uint8_t *pixels = malloc(n * h->cupsHeight);
    for (unsigned y = 0; pixels && y < h->cupsHeight; y++) {
        if (cupsRasterReadPixels(r, pixels + n * y, (unsigned)n) != n) {
            fprintf(stderr, "pwg-read: short page at row %u\n", y);
            free(pixels);
            return 1;
        }
    }
    image_view_t img = {pixels, (int32_t)h->cupsWidth, (int32_t)h->cupsHeight, (ptrdiff_t)n,
                        h->cupsBitsPerPixel == 24 ? IMAGE_RGB8 : IMAGE_GRAY8, h->HWResolution[0]};
    int rc = pixels && image_png_write(&img, png) == 0 ? 0 : 1;
    free(pixels);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: pwg-read FILE.pwg OUT.png\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    cups_raster_t *r = fd >= 0 ? cupsRasterOpen(fd, CUPS_RASTER_READ) : NULL;
    cups_page_header2_t h;
    if (!r || !cupsRasterReadHeader2(r, &h)) {
        fprintf(stderr, "pwg-read: %s: not PWG raster\n", argv[1]);
        return 1;
    }
    if (h.cupsBitsPerColor != 8 || (h.cupsBitsPerPixel != 8 && h.cupsBitsPerPixel != 24)) {
        fprintf(stderr, "pwg-read: %s: %u bits per pixel not handled\n", argv[1],
                h.cupsBitsPerPixel);
        return 1;
    }
    int rc = page_read(r, &h, argv[2]);
    unsigned pages = 1;
    cups_page_header2_t more;
    while (rc == 0 && cupsRasterReadHeader2(r, &more)) {
        pages++;
    }
    printf("%ux%u %ux%udpi %s %s pages=%u\n", h.cupsWidth, h.cupsHeight, h.HWResolution[0],
           h.HWResolution[1], h.cupsBitsPerPixel == 24 ? "srgb_8" : "sgray_8", h.cupsPageSizeName,
           pages);
    cupsRasterClose(r);
    close(fd);
    return rc;
}
