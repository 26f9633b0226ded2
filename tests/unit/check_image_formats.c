/* check_image_formats.c - image_pwg_write(), image_pwg_write_fd() and image_pdf_write().
 * PWG raster is read back with libcups' own reader; PDF with poppler's pdfinfo and pdftoppm
 * (paths fixed at configure time, run without a shell). Failures must leave an existing target
 * as it was and no temporary file behind; they come from invalid views, a missing directory,
 * or RLIMIT_FSIZE (which binds root too). */
#include "likeletter/image.h"
#include "testutil.h"

#include <check.h>
#include <cups/cups.h>
#include <cups/raster.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LIKELETTER_PDFINFO
#define LIKELETTER_PDFINFO "/usr/bin/pdfinfo"
#endif
#ifndef LIKELETTER_PDFTOPPM
#define LIKELETTER_PDFTOPPM "/usr/bin/pdftoppm"
#endif

/* An A6 card at 300 dpi, as the renderer makes it: 105 x 148 mm = 1240 x 1748 px. */
enum { A6_W = 1240, A6_H = 1748, A6_DPI = 300 };
static const double a6_mm[2] = {105.0, 148.0};

static void setup(void)
{
    testutil_tmpdir_make("check_image_formats");
}

/* Whether the n bytes at b (binary, NULs and all) contain text. */
static bool bytes_contain(const uint8_t *b, size_t n, const char *text)
{
    size_t k = strlen(text);
    for (size_t i = 0; k <= n && i <= n - k; i++) {
        if (memcmp(b + i, text, k) == 0) {
            return true;
        }
    }
    return false;
}

/* ---- test images ---- */

typedef struct square {
    int32_t x, y, side;
} square_t;

/* Black squares on the card, away from each other and the edges. */
static const square_t squares[] = {
    {100, 120, 64}, {1000, 200, 48}, {560, 840, 96}, {150, 1560, 40}, {1100, 1650, 30},
};
#define SQUARES (int)(sizeof squares / sizeof squares[0])

static bool in_square(int32_t x, int32_t y)
{
    for (int i = 0; i < SQUARES; i++) {
        const square_t *s = &squares[i];
        if (x >= s->x && x < s->x + s->side && y >= s->y && y < s->y + s->side) {
            return true;
        }
    }
    return false;
}

/* The A6 card: a diagonal gradient from 60 to 250 with the black squares, in rows of stride
 * bytes whose padding holds 0xEE (which must not reach a file). */
static uint8_t *card_gray(ptrdiff_t stride)
{
    uint8_t *p = malloc((size_t)stride * A6_H);
    ck_assert_ptr_nonnull(p);
    memset(p, 0xEE, (size_t)stride * A6_H);
    const int32_t span = (A6_W - 1) + 2 * (A6_H - 1);
    for (int32_t y = 0; y < A6_H; y++) {
        for (int32_t x = 0; x < A6_W; x++) {
            int v = in_square(x, y) ? 0 : 60 + 190 * (x + 2 * y) / span;
            p[(ptrdiff_t)y * stride + x] = (uint8_t)v;
        }
    }
    return p;
}

/* Small RGB: bytes that rarely repeat (the raster coder's literal runs), 0xEE padding. */
static uint8_t *rgb_pattern(int32_t width, int32_t height, ptrdiff_t stride)
{
    uint8_t *p = malloc((size_t)stride * (size_t)height);
    ck_assert_ptr_nonnull(p);
    memset(p, 0xEE, (size_t)stride * (size_t)height);
    for (int32_t y = 0; y < height; y++) {
        for (int32_t x = 0; x < width * 3; x++) {
            p[(ptrdiff_t)y * stride + x] = (uint8_t)(x * 37 + y * 101 + 7);
        }
    }
    return p;
}

/* Small RGB in 8x8 blocks of flat colour (so a rendering back has clean edges). */
static uint8_t *rgb_blocks(int32_t width, int32_t height, ptrdiff_t stride)
{
    static const uint8_t colours[][3] = {{200, 30, 40},  {20, 160, 60}, {30, 60, 210},
                                         {240, 220, 90}, {0, 0, 0},     {255, 255, 255}};
    uint8_t *p = malloc((size_t)stride * (size_t)height);
    ck_assert_ptr_nonnull(p);
    memset(p, 0xEE, (size_t)stride * (size_t)height);
    for (int32_t y = 0; y < height; y++) {
        for (int32_t x = 0; x < width; x++) {
            const uint8_t *c = colours[(x / 8 + 2 * (y / 8)) % 6];
            memcpy(p + (ptrdiff_t)y * stride + 3 * x, c, 3);
        }
    }
    return p;
}

static image_view_t view_gray_a6(const uint8_t *px, ptrdiff_t stride)
{
    return (image_view_t){.pixels = px,
                          .width = A6_W,
                          .height = A6_H,
                          .stride = stride,
                          .format = IMAGE_GRAY8,
                          .dpi = A6_DPI};
}

/* ---- reading PWG raster back with libcups ---- */

typedef struct pwg_page {
    cups_page_header2_t h;
    uint8_t *pixels; /* cupsBytesPerLine * cupsHeight */
    bool more_pages;
} pwg_page_t;

static bool pwg_read_fd(int fd, pwg_page_t *out)
{
    memset(out, 0, sizeof *out);
    cups_raster_t *r = cupsRasterOpen(fd, CUPS_RASTER_READ);
    if (!r) {
        return false;
    }
    bool ok = cupsRasterReadHeader2(r, &out->h) != 0 && out->h.cupsBytesPerLine <= 3 * A6_W * 4 &&
              out->h.cupsHeight <= A6_H * 4;
    size_t bpl = out->h.cupsBytesPerLine;
    out->pixels = ok ? malloc(bpl * out->h.cupsHeight + 1) : NULL;
    for (unsigned y = 0; out->pixels && y < out->h.cupsHeight; y++) {
        if (cupsRasterReadPixels(r, out->pixels + bpl * y, (unsigned)bpl) != bpl) {
            ok = false;
            break;
        }
    }
    cups_page_header2_t next;
    out->more_pages = ok && cupsRasterReadHeader2(r, &next) != 0;
    cupsRasterClose(r);
    return ok && out->pixels;
}

static void pwg_read_file(const char *path, pwg_page_t *out)
{
    int fd = open(path, O_RDONLY);
    ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
    ck_assert_msg(pwg_read_fd(fd, out), "%s: expected PWG raster libcups reads: %s", path,
                  cupsRasterErrorString());
    close(fd);
}

typedef struct pwg_expect {
    unsigned width, height, dpi, channels;
    cups_cspace_t space;
    unsigned page_pt[2];
    const char *media;
} pwg_expect_t;

static void expect_pwg_header(const char *what, const pwg_page_t *p, const pwg_expect_t *e)
{
    const cups_page_header2_t *h = &p->h;
    ck_assert_msg(strcmp(h->MediaClass, "PwgRaster") == 0,
                  "%s: MediaClass: expected PwgRaster, got %s", what, h->MediaClass);
    ck_assert_msg(h->cupsWidth == e->width && h->cupsHeight == e->height,
                  "%s: expected %ux%u pixels, got %ux%u", what, e->width, e->height, h->cupsWidth,
                  h->cupsHeight);
    ck_assert_msg(h->HWResolution[0] == e->dpi && h->HWResolution[1] == e->dpi,
                  "%s: HWResolution: expected %u x %u, got %u x %u", what, e->dpi, e->dpi,
                  h->HWResolution[0], h->HWResolution[1]);
    ck_assert_msg(h->cupsColorSpace == e->space, "%s: cupsColorSpace: expected %d, got %d", what,
                  (int)e->space, (int)h->cupsColorSpace);
    ck_assert_msg(h->cupsBitsPerColor == 8 && h->cupsBitsPerPixel == 8 * e->channels &&
                      h->cupsNumColors == e->channels && h->cupsColorOrder == CUPS_ORDER_CHUNKED,
                  "%s: expected 8 bits x %u colours chunked, got %u bits per colour, %u per "
                  "pixel, %u colours, order %d",
                  what, e->channels, h->cupsBitsPerColor, h->cupsBitsPerPixel, h->cupsNumColors,
                  (int)h->cupsColorOrder);
    ck_assert_msg(h->cupsBytesPerLine == e->width * e->channels,
                  "%s: cupsBytesPerLine: expected %u, got %u", what, e->width * e->channels,
                  h->cupsBytesPerLine);
    ck_assert_msg(h->PageSize[0] == e->page_pt[0] && h->PageSize[1] == e->page_pt[1],
                  "%s: PageSize: expected %u x %u pt, got %u x %u", what, e->page_pt[0],
                  e->page_pt[1], h->PageSize[0], h->PageSize[1]);
    /* The page size is the image's: within half a point of pixels / dpi. */
    for (int i = 0; i < 2; i++) {
        double exact = (i ? h->cupsHeight : h->cupsWidth) * 72.0 / h->HWResolution[i];
        ck_assert_msg(fabs(h->PageSize[i] - exact) <= 0.5,
                      "%s: PageSize[%d] %u pt is not the image's %.3f pt", what, i, h->PageSize[i],
                      exact);
    }
    ck_assert_msg(strcmp(h->cupsPageSizeName, e->media) == 0,
                  "%s: cupsPageSizeName: expected %s, got %s", what, e->media, h->cupsPageSizeName);
    ck_assert_msg(h->cupsInteger[CUPS_RASTER_PWG_TotalPageCount] == 1,
                  "%s: TotalPageCount: expected 1, got %u", what,
                  h->cupsInteger[CUPS_RASTER_PWG_TotalPageCount]);
    ck_assert_msg(!p->more_pages, "%s: expected one page, found a second page header", what);
}

static void expect_pwg_pixels(const char *what, const pwg_page_t *p, const uint8_t *src,
                              ptrdiff_t stride)
{
    size_t row = p->h.cupsBytesPerLine;
    for (unsigned y = 0; y < p->h.cupsHeight; y++) {
        const uint8_t *want = src + (ptrdiff_t)y * stride, *have = p->pixels + row * y;
        if (memcmp(want, have, row) != 0) {
            size_t x = 0;
            while (want[x] == have[x]) {
                x++;
            }
            ck_abort_msg("%s: row %u byte %zu: expected %u, got %u", what, y, x, want[x], have[x]);
        }
    }
}

static void expect_pwg_magic(const char *path)
{
    size_t n;
    uint8_t *b = testutil_file_get(path, &n);
    ck_assert_msg(n > 4 && memcmp(b, "RaS2", 4) == 0,
                  "%s: expected a PWG raster file starting \"RaS2\" (%zu bytes)", path, n);
    free(b);
}

/* ---- PWG raster: round trips ---- */

START_TEST(pwg_gray_a6_round_trip)
{
    const ptrdiff_t stride = A6_W + 8;
    uint8_t *src = card_gray(stride);
    image_view_t img = view_gray_a6(src, stride);
    const char *path = testutil_path("card.pwg");
    int e = image_pwg_write(&img, path, NULL);
    ck_assert_msg(e == 0, "image_pwg_write(A6 gray, media NULL): expected 0, got %d", e);
    expect_pwg_magic(path);
    pwg_page_t page;
    pwg_read_file(path, &page);
    /* 1240 x 72 / 300 = 297.6 pt, 1748 x 72 / 300 = 419.52 pt; the nearest standard size. */
    const pwg_expect_t want = {
        A6_W, A6_H, A6_DPI, 1, CUPS_CSPACE_SW, {298, 420}, "iso_a6_105x148mm"};
    expect_pwg_header("A6 gray", &page, &want);
    expect_pwg_pixels("A6 gray", &page, src, stride);
    testutil_expect_dir_holds_only("card.pwg", "a PWG write");
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_msg((st.st_mode & 0777) == 0644, "%s: expected mode 0644, got %03o", path,
                  (unsigned)(st.st_mode & 0777));
    free(page.pixels);
    free(src);
}
END_TEST

START_TEST(pwg_rgb_custom_round_trip)
{
    const int32_t w = 37, h = 23;
    const ptrdiff_t stride = w * 3 + 5;
    uint8_t *src = rgb_pattern(w, h, stride);
    image_view_t img = {
        .pixels = src, .width = w, .height = h, .stride = stride, .format = IMAGE_RGB8, .dpi = 300};
    const char *path = testutil_path("small.pwg");
    testutil_file_put(path, "an older file to replace");
    int e = image_pwg_write(&img, path, NULL);
    ck_assert_msg(e == 0, "image_pwg_write(37x23 RGB): expected 0, got %d", e);
    pwg_page_t page;
    pwg_read_file(path, &page);
    /* 37 px at 300 dpi = 3.13 mm = 8.88 pt; 23 px = 1.95 mm = 5.52 pt: no standard size. */
    const pwg_expect_t want = {
        37, 23, 300, 3, CUPS_CSPACE_SRGB, {9, 6}, "custom_3.13x1.95mm_3.13x1.95mm"};
    expect_pwg_header("37x23 RGB", &page, &want);
    expect_pwg_pixels("37x23 RGB", &page, src, stride);
    free(page.pixels);
    free(src);
}
END_TEST

/* A media name the image matches gives the same file as no name. */
START_TEST(pwg_named_media_same_bytes)
{
    const ptrdiff_t stride = A6_W;
    uint8_t *src = card_gray(stride);
    image_view_t img = view_gray_a6(src, stride);
    ck_assert_int_eq(image_pwg_write(&img, testutil_path("named.pwg"), "iso_a6_105x148mm"), 0);
    ck_assert_int_eq(image_pwg_write(&img, testutil_path("unnamed.pwg"), NULL), 0);
    size_t n1, n2;
    uint8_t *a = testutil_file_get(testutil_path("named.pwg"), &n1),
            *b = testutil_file_get(testutil_path("unnamed.pwg"), &n2);
    ck_assert_msg(n1 == n2 && memcmp(a, b, n1) == 0,
                  "iso_a6_105x148mm vs NULL media: expected identical files, got %zu and %zu "
                  "bytes%s",
                  n1, n2, n1 == n2 ? " that differ" : "");
    free(a);
    free(b);
    free(src);
}
END_TEST

/* A 4x6 in card at 600 dpi under its PWG name: the exact inch size in points. */
START_TEST(pwg_named_4x6_at_600)
{
    const int32_t w = 2400, h = 3600;
    uint8_t *src = malloc((size_t)w * h);
    ck_assert_ptr_nonnull(src);
    for (size_t i = 0; i < (size_t)w * h; i++) {
        src[i] = (uint8_t)(i % 251);
    }
    image_view_t img = {
        .pixels = src, .width = w, .height = h, .stride = w, .format = IMAGE_GRAY8, .dpi = 600};
    const char *path = testutil_path("4x6.pwg");
    int e = image_pwg_write(&img, path, "na_index-4x6_4x6in");
    ck_assert_msg(e == 0, "image_pwg_write(4x6 at 600 dpi): expected 0, got %d", e);
    pwg_page_t page;
    pwg_read_file(path, &page);
    const pwg_expect_t want = {
        2400, 3600, 600, 1, CUPS_CSPACE_SW, {288, 432}, "na_index-4x6_4x6in"};
    expect_pwg_header("4x6 at 600 dpi", &page, &want);
    expect_pwg_pixels("4x6 at 600 dpi", &page, src, w);
    free(page.pixels);
    free(src);
}
END_TEST

/* A name libcups cannot parse is a warning: the media is named from the image's size. */
START_TEST(pwg_unknown_media_named_from_size)
{
    uint8_t *src = card_gray(A6_W);
    image_view_t img = view_gray_a6(src, A6_W);
    const char *path = testutil_path("card.pwg");
    int e = image_pwg_write(&img, path, "no-such-media");
    ck_assert_msg(e == 0, "image_pwg_write(media \"no-such-media\"): expected 0, got %d", e);
    pwg_page_t page;
    pwg_read_file(path, &page);
    ck_assert_msg(strcmp(page.h.cupsPageSizeName, "iso_a6_105x148mm") == 0,
                  "cupsPageSizeName: expected iso_a6_105x148mm, got %s", page.h.cupsPageSizeName);
    free(page.pixels);
    free(src);
}
END_TEST

/* ---- PWG raster: the stream variant ---- */

START_TEST(pwg_fd_same_bytes_as_file)
{
    const ptrdiff_t stride = A6_W + 3;
    uint8_t *src = card_gray(stride);
    image_view_t img = view_gray_a6(src, stride);
    ck_assert_int_eq(image_pwg_write(&img, testutil_path("file.pwg"), "iso_a6_105x148mm"), 0);
    int fd = open(testutil_path("fd.pwg"), O_WRONLY | O_CREAT | O_EXCL, 0644);
    ck_assert_msg(fd >= 0, "open: %s", strerror(errno));
    int e = image_pwg_write_fd(&img, fd, "iso_a6_105x148mm");
    ck_assert_msg(e == 0, "image_pwg_write_fd(A6 gray): expected 0, got %d", e);
    ck_assert_msg(fcntl(fd, F_GETFD) != -1, "expected the caller's fd to stay open");
    close(fd);
    size_t n1, n2;
    uint8_t *a = testutil_file_get(testutil_path("file.pwg"), &n1),
            *b = testutil_file_get(testutil_path("fd.pwg"), &n2);
    ck_assert_msg(n1 == n2 && memcmp(a, b, n1) == 0,
                  "file vs fd variant: expected identical bytes, got %zu and %zu bytes%s", n1, n2,
                  n1 == n2 ? " that differ" : "");
    free(a);
    free(b);
    free(src);
}
END_TEST

/* Through a pipe (not seekable, as a print job's stream): a child writes, libcups reads. */
START_TEST(pwg_fd_streams_through_pipe)
{
    const int32_t w = 37, h = 23;
    const ptrdiff_t stride = w * 3;
    uint8_t *src = rgb_pattern(w, h, stride);
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        close(p[0]);
        image_view_t img = {.pixels = src,
                            .width = w,
                            .height = h,
                            .stride = stride,
                            .format = IMAGE_RGB8,
                            .dpi = 300};
        _exit(image_pwg_write_fd(&img, p[1], NULL) == 0 ? 0 : 1);
    }
    close(p[1]);
    pwg_page_t page;
    bool read_ok = pwg_read_fd(p[0], &page);
    close(p[0]);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "image_pwg_write_fd into a pipe: expected 0 in the child, got status %d", status);
    ck_assert_msg(read_ok, "expected PWG raster libcups reads from the pipe: %s",
                  cupsRasterErrorString());
    const pwg_expect_t want = {
        37, 23, 300, 3, CUPS_CSPACE_SRGB, {9, 6}, "custom_3.13x1.95mm_3.13x1.95mm"};
    expect_pwg_header("pipe", &page, &want);
    expect_pwg_pixels("pipe", &page, src, stride);
    free(page.pixels);
    free(src);
}
END_TEST

START_TEST(pwg_fd_bad_inputs_write_nothing)
{
    uint8_t px[16] = {0};
    image_view_t ok = {
        .pixels = px, .width = 4, .height = 4, .stride = 4, .format = IMAGE_GRAY8, .dpi = 300};
    image_view_t bad = ok;
    bad.dpi = 0;
    int fd = open(testutil_path("out.pwg"), O_WRONLY | O_CREAT | O_EXCL, 0644);
    ck_assert_msg(fd >= 0, "open: %s", strerror(errno));
    int e = image_pwg_write_fd(&bad, fd, NULL);
    ck_assert_msg(e == -1, "image_pwg_write_fd(dpi 0): expected -1, got %d", e);
    e = image_pwg_write_fd(&ok, fd, "na_letter_8.5x11in");
    ck_assert_msg(e == -1, "image_pwg_write_fd(4x4 px as Letter): expected -1, got %d", e);
    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert_msg(st.st_size == 0, "expected nothing written for bad inputs, got %lld bytes",
                  (long long)st.st_size);
    close(fd);
    e = image_pwg_write_fd(&ok, -1, NULL);
    ck_assert_msg(e == -1, "image_pwg_write_fd(fd -1): expected -1, got %d", e);
    e = image_pwg_write_fd(&ok, fd, NULL); /* closed just above */
    ck_assert_msg(e == -1, "image_pwg_write_fd(a closed fd): expected -1, got %d", e);
}
END_TEST

/* ---- PWG raster: failures ---- */

/* Inputs no PWG raster can hold: each fails and leaves the target as it was. */
static uint8_t bad_px[64];
static const struct {
    const char *what;
    image_view_t img;
    const char *media;
} pwg_bad[] = {
    {"dpi 0", {bad_px, 4, 2, 4, IMAGE_GRAY8, 0}, NULL},
    {"dpi -300", {bad_px, 4, 2, 4, IMAGE_GRAY8, -300}, NULL},
    {"dpi NaN", {bad_px, 4, 2, 4, IMAGE_GRAY8, NAN}, NULL},
    {"dpi 299.5", {bad_px, 4, 2, 4, IMAGE_GRAY8, 299.5}, NULL},
    {"dpi 100000", {bad_px, 4, 2, 4, IMAGE_GRAY8, 100000}, NULL},
    {"11 m wide", {bad_px, 130000, 1, 130000, IMAGE_GRAY8, 300}, NULL},
    {"width 0", {bad_px, 0, 2, 4, IMAGE_GRAY8, 300}, NULL},
    {"height 0", {bad_px, 4, 0, 4, IMAGE_GRAY8, 300}, NULL},
    {"width -3", {bad_px, -3, 2, 4, IMAGE_GRAY8, 300}, NULL},
    {"stride 3 < width 4", {bad_px, 4, 2, 3, IMAGE_GRAY8, 300}, NULL},
    {"RGB stride 11 < 12", {bad_px, 4, 2, 11, IMAGE_RGB8, 300}, NULL},
    {"format 2", {bad_px, 4, 2, 8, (image_format_t)2, 300}, NULL},
    {"no pixels", {NULL, 4, 2, 4, IMAGE_GRAY8, 300}, NULL},
    {"4x2 px named Letter", {bad_px, 4, 2, 4, IMAGE_GRAY8, 300}, "na_letter_8.5x11in"},
};
#define PWG_BAD (int)(sizeof pwg_bad / sizeof pwg_bad[0])

START_TEST(pwg_bad_input_leaves_target)
{
    const char *path = testutil_path("target.pwg");
    testutil_file_put(path, "precious");
    int e = image_pwg_write(&pwg_bad[_i].img, path, pwg_bad[_i].media);
    ck_assert_msg(e == -1, "image_pwg_write(%s): expected -1, got %d", pwg_bad[_i].what, e);
    testutil_expect_file_text(path, "precious");
    testutil_expect_dir_holds_only("target.pwg", pwg_bad[_i].what);
}
END_TEST

/* A6 turned sideways does not fit the portrait A6 name. */
START_TEST(pwg_landscape_for_portrait_media_fails)
{
    uint8_t *src = calloc((size_t)A6_W * A6_H, 1);
    ck_assert_ptr_nonnull(src);
    image_view_t img = {.pixels = src,
                        .width = A6_H,
                        .height = A6_W,
                        .stride = A6_H,
                        .format = IMAGE_GRAY8,
                        .dpi = 300};
    int e = image_pwg_write(&img, testutil_path("card.pwg"), "iso_a6_105x148mm");
    ck_assert_msg(e == -1, "image_pwg_write(1748x1240 as iso_a6_105x148mm): expected -1, got %d",
                  e);
    ck_assert_msg(access(testutil_path("card.pwg"), F_OK) != 0, "expected no file after a failure");
    free(src);
}
END_TEST

START_TEST(pwg_missing_directory_fails)
{
    uint8_t px[4] = {1, 2, 3, 4};
    image_view_t img = {
        .pixels = px, .width = 2, .height = 2, .stride = 2, .format = IMAGE_GRAY8, .dpi = 300};
    const char *path = testutil_path("no/such/dir/out.pwg");
    int e = image_pwg_write(&img, path, NULL);
    ck_assert_msg(e == -1, "image_pwg_write(%s): expected -1, got %d", path, e);
    ck_assert_msg(access(testutil_path("no"), F_OK) != 0, "expected no directory created");
}
END_TEST

/* Runs write(img, path) in a child limited to 32 KiB files; expects -1 and the target intact. */
static void expect_fsize_failure(int (*write)(const image_view_t *, const char *), const char *path,
                                 const char *what)
{
    const int32_t w = 512, h = 512;
    uint8_t *px = testutil_noise((size_t)w * (size_t)h);
    image_view_t img = {
        .pixels = px, .width = w, .height = h, .stride = w, .format = IMAGE_GRAY8, .dpi = 300};
    testutil_expect_write_past_fsize_fails(write, &img, path, what);
    free(px);
}

static int pwg_write_nomedia(const image_view_t *img, const char *path)
{
    return image_pwg_write(img, path, NULL);
}

START_TEST(pwg_failed_write_leaves_target)
{
    expect_fsize_failure(pwg_write_nomedia, testutil_path("target.pwg"), "image_pwg_write");
    testutil_expect_dir_holds_only("target.pwg", "a failed PWG write");
}
END_TEST

/* ---- PDF, through poppler ---- */

/* Runs argv[0] (no shell) with stdout to out (or /dev/null); returns its exit status. */
static int run_tool(char *const argv[], const char *out)
{
    ck_assert_msg(argv[0][0] == '/', "%s: not found at configure time (install poppler-utils)",
                  argv[0]);
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0) {
            _exit(126);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) != 127, "%s: could not run (status %d)",
                  argv[0], status);
    return WEXITSTATUS(status);
}

typedef struct pdf_info {
    int pages;
    double w_pt, h_pt;
    char title[64], creator[64];
} pdf_info_t;

/* Copies the value after "key:" (leading spaces skipped, newline dropped) if line starts with it.
 */
static void info_field(const char *line, const char *key, char *dst, size_t len)
{
    size_t k = strlen(key);
    if (strncmp(line, key, k) == 0 && line[k] == ':') {
        const char *v = line + k + 1;
        v += strspn(v, " ");
        snprintf(dst, len, "%.*s", (int)strcspn(v, "\n"), v);
    }
}

static pdf_info_t pdf_info(const char *pdf)
{
    const char *out = testutil_path("pdfinfo.txt");
    char *argv[] = {(char *)LIKELETTER_PDFINFO, (char *)pdf, NULL};
    int rc = run_tool(argv, out);
    ck_assert_msg(rc == 0, "pdfinfo %s: expected exit 0, got %d", pdf, rc);
    pdf_info_t info = {.pages = -1, .w_pt = -1, .h_pt = -1};
    FILE *f = fopen(out, "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "Pages: %d", &info.pages);
        sscanf(line, "Page size: %lf x %lf pts", &info.w_pt, &info.h_pt);
        info_field(line, "Title", info.title, sizeof info.title);
        info_field(line, "Creator", info.creator, sizeof info.creator);
    }
    fclose(f);
    unlink(out);
    return info;
}

static void expect_pdf_info(const char *pdf, double w_mm, double h_mm)
{
    pdf_info_t info = pdf_info(pdf);
    double w = w_mm / 25.4 * 72, h = h_mm / 25.4 * 72;
    ck_assert_msg(info.pages == 1, "%s: expected 1 page, pdfinfo says %d", pdf, info.pages);
    ck_assert_msg(fabs(info.w_pt - w) < 0.1 && fabs(info.h_pt - h) < 0.1,
                  "%s: expected a page of %.2f x %.2f pts, pdfinfo says %.2f x %.2f", pdf, w, h,
                  info.w_pt, info.h_pt);
    ck_assert_msg(strcmp(info.title, "likeletter") == 0 && strcmp(info.creator, "likeletter") == 0,
                  "%s: expected Title and Creator \"likeletter\", got \"%s\" and \"%s\"", pdf,
                  info.title, info.creator);
}

typedef struct pnm {
    int width, height, channels;
    uint8_t *pixels;
} pnm_t;

/* A binary PGM (P5) or PPM (P6) with maxval 255, as pdftoppm writes them. */
static pnm_t pnm_read(const char *path)
{
    size_t n;
    uint8_t *b = testutil_file_get(path, &n);
    pnm_t p = {0};
    int maxval = 0, used = 0;
    char magic[3] = "";
    int got = sscanf((char *)b, "%2s %d %d %d%n", magic, &p.width, &p.height, &maxval, &used);
    ck_assert_msg(got == 4 && maxval == 255 && p.width > 0 && p.height > 0 &&
                      (strcmp(magic, "P5") == 0 || strcmp(magic, "P6") == 0),
                  "%s: expected a binary PGM or PPM, maxval 255", path);
    p.channels = magic[1] == '5' ? 1 : 3;
    size_t size = (size_t)p.width * (size_t)p.height * (size_t)p.channels;
    ck_assert_msg(n >= (size_t)used + 1 + size, "%s: expected %zu bytes of pixels", path, size);
    p.pixels = malloc(size);
    ck_assert_ptr_nonnull(p.pixels);
    memcpy(p.pixels, b + used + 1, size);
    free(b);
    return p;
}

/* pdftoppm -r dpi [-gray] -singlefile pdf -> the rendered page. */
static pnm_t pdf_render(const char *pdf, const char *dpi, bool gray)
{
    const char *prefix = testutil_path("render");
    char *argv[8] = {(char *)LIKELETTER_PDFTOPPM, "-r", (char *)dpi, "-singlefile"};
    int n = 4;
    if (gray) {
        argv[n++] = "-gray";
    }
    argv[n++] = (char *)pdf;
    argv[n++] = (char *)prefix;
    argv[n] = NULL;
    int rc = run_tool(argv, NULL);
    ck_assert_msg(rc == 0, "pdftoppm %s: expected exit 0, got %d", pdf, rc);
    char out[300];
    snprintf(out, sizeof out, "%s.%s", prefix, gray ? "pgm" : "ppm");
    pnm_t p = pnm_read(out);
    unlink(out);
    return p;
}

/* The rendering is the source's size within a pixel (the page is 1240.16 px at 300 dpi) and
 * close to it over the pixels both have. */
static double mean_abs_diff(const pnm_t *r, const uint8_t *src, int32_t w, int32_t h,
                            ptrdiff_t stride)
{
    ck_assert_msg(abs(r->width - w) <= 1 && abs(r->height - h) <= 1,
                  "expected a rendering of %dx%d px (within 1), got %dx%d", w, h, r->width,
                  r->height);
    int32_t cw = r->width < w ? r->width : w, ch = r->height < h ? r->height : h;
    double sum = 0;
    int c = r->channels;
    for (int32_t y = 0; y < ch; y++) {
        for (int32_t x = 0; x < cw * c; x++) {
            int d = src[(ptrdiff_t)y * stride + x] -
                    r->pixels[((size_t)y * (size_t)r->width) * (size_t)c + (size_t)x];
            sum += abs(d);
        }
    }
    return sum / ((double)cw * ch * c);
}

static uint8_t pnm_at(const pnm_t *p, int32_t x, int32_t y)
{
    return p->pixels[(size_t)y * (size_t)p->width + (size_t)x];
}

START_TEST(pdf_gray_a6_page_and_pixels)
{
    const ptrdiff_t stride = A6_W + 8;
    uint8_t *src = card_gray(stride);
    image_view_t img = view_gray_a6(src, stride);
    const char *path = testutil_path("card.pdf");
    int e = image_pdf_write(&img, path, a6_mm[0], a6_mm[1]);
    ck_assert_msg(e == 0, "image_pdf_write(A6 gray): expected 0, got %d", e);
    testutil_expect_dir_holds_only("card.pdf", "a PDF write");
    /* A6 = 297.64 x 419.53 pts. */
    expect_pdf_info(path, a6_mm[0], a6_mm[1]);
    pnm_t r = pdf_render(path, "300", true);
    double mad = mean_abs_diff(&r, src, A6_W, A6_H, stride);
    ck_assert_msg(mad < 2.0, "300 dpi rendering vs source: expected mean abs diff < 2, got %.3f",
                  mad);
    /* Each square black inside (2 px in from its edges) and the gradient 3 px outside. */
    for (int i = 0; i < SQUARES; i++) {
        const square_t *s = &squares[i];
        for (int32_t y = s->y + 2; y < s->y + s->side - 2; y++) {
            for (int32_t x = s->x + 2; x < s->x + s->side - 2; x++) {
                ck_assert_msg(pnm_at(&r, x, y) <= 16, "square %d: (%d,%d) expected black, got %u",
                              i, x, y, pnm_at(&r, x, y));
            }
        }
        const int32_t out[4][2] = {{s->x - 3, s->y + s->side / 2},
                                   {s->x + s->side + 2, s->y + s->side / 2},
                                   {s->x + s->side / 2, s->y - 3},
                                   {s->x + s->side / 2, s->y + s->side + 2}};
        for (int k = 0; k < 4; k++) {
            uint8_t v = pnm_at(&r, out[k][0], out[k][1]);
            ck_assert_msg(v >= 50, "square %d: (%d,%d) just outside expected the gradient, got %u",
                          i, out[k][0], out[k][1], v);
        }
    }
    free(r.pixels);
    free(src);
}
END_TEST

START_TEST(pdf_rgb_page_and_pixels)
{
    const int32_t w = 40, h = 32;
    const ptrdiff_t stride = w * 3 + 7;
    uint8_t *src = rgb_blocks(w, h, stride);
    image_view_t img = {
        .pixels = src, .width = w, .height = h, .stride = stride, .format = IMAGE_RGB8, .dpi = 0};
    const char *path = testutil_path("small.pdf");
    testutil_file_put(path, "an older file to replace");
    int e = image_pdf_write(&img, path, 10.0, 8.0);
    ck_assert_msg(e == 0, "image_pdf_write(40x32 RGB, 10x8 mm): expected 0, got %d", e);
    expect_pdf_info(path, 10.0, 8.0);
    /* 40 px over 10 mm = 101.6 dpi. The page is then 40.0000004 px, which poppler makes 41 px
     * and fills by stretching the image a pixel: so block edges may move by one pixel, and only
     * the blocks' insides (colour, channel order, place) are compared. */
    pnm_t r = pdf_render(path, "101.6", false);
    ck_assert_msg(r.channels == 3 && abs(r.width - w) <= 1 && abs(r.height - h) <= 1,
                  "expected a %dx%d RGB rendering (within 1), got %dx%d with %d channels", w, h,
                  r.width, r.height, r.channels);
    for (int32_t y = 0; y < h; y++) {
        for (int32_t x = 0; x < w; x++) {
            if (x % 8 == 0 || x % 8 == 7 || y % 8 == 0 || y % 8 == 7) {
                continue;
            }
            const uint8_t *want = src + (ptrdiff_t)y * stride + 3 * x;
            const uint8_t *got = r.pixels + ((size_t)y * (size_t)r.width + (size_t)x) * 3;
            ck_assert_msg(abs(want[0] - got[0]) <= 2 && abs(want[1] - got[1]) <= 2 &&
                              abs(want[2] - got[2]) <= 2,
                          "(%d,%d): expected RGB %u,%u,%u, got %u,%u,%u", x, y, want[0], want[1],
                          want[2], got[0], got[1], got[2]);
        }
    }
    free(r.pixels);
    free(src);
}
END_TEST

/* No clock in the file: the same card twice is the same bytes (and no temp file is left). */
START_TEST(pdf_same_image_same_bytes)
{
    uint8_t *src = card_gray(A6_W);
    image_view_t img = view_gray_a6(src, A6_W);
    ck_assert_int_eq(image_pdf_write(&img, testutil_path("a.pdf"), a6_mm[0], a6_mm[1]), 0);
    sleep(1);
    ck_assert_int_eq(image_pdf_write(&img, testutil_path("b.pdf"), a6_mm[0], a6_mm[1]), 0);
    size_t n1, n2;
    uint8_t *a = testutil_file_get(testutil_path("a.pdf"), &n1),
            *b = testutil_file_get(testutil_path("b.pdf"), &n2);
    ck_assert_msg(n1 == n2 && memcmp(a, b, n1) == 0,
                  "the same card written twice: expected identical PDFs, got %zu and %zu bytes%s",
                  n1, n2, n1 == n2 ? " that differ" : "");
    ck_assert_msg(!bytes_contain(a, n1, "/CreationDate"), "expected no /CreationDate");
    char names[256];
    ck_assert_msg(testutil_dir_list(testutil_tmpdir(), names, sizeof names) == 2,
                  "expected a.pdf and b.pdf only, found: %s", names);
    free(a);
    free(b);
    free(src);
}
END_TEST

static const struct {
    const char *what;
    image_view_t img;
    double w_mm, h_mm;
} pdf_bad[] = {
    {"width 0 px", {bad_px, 0, 2, 4, IMAGE_GRAY8, 300}, 105, 148},
    {"height 0 px", {bad_px, 4, 0, 4, IMAGE_GRAY8, 300}, 105, 148},
    {"stride 3 < width 4", {bad_px, 4, 2, 3, IMAGE_GRAY8, 300}, 105, 148},
    {"RGB stride 11 < 12", {bad_px, 4, 2, 11, IMAGE_RGB8, 300}, 105, 148},
    {"format 2", {bad_px, 4, 2, 8, (image_format_t)2, 300}, 105, 148},
    {"no pixels", {NULL, 4, 2, 4, IMAGE_GRAY8, 300}, 105, 148},
    {"width 40000 px", {bad_px, 40000, 1, 40000, IMAGE_GRAY8, 300}, 105, 148},
    {"page 0 mm wide", {bad_px, 4, 2, 4, IMAGE_GRAY8, 300}, 0, 148},
    {"page -105 mm wide", {bad_px, 4, 2, 4, IMAGE_GRAY8, 300}, -105, 148},
    {"page NaN mm high", {bad_px, 4, 2, 4, IMAGE_GRAY8, 300}, 105, NAN},
    {"page infinitely high", {bad_px, 4, 2, 4, IMAGE_GRAY8, 300}, 105, INFINITY},
    {"page 6000 mm high", {bad_px, 4, 2, 4, IMAGE_GRAY8, 300}, 105, 6000},
};
#define PDF_BAD (int)(sizeof pdf_bad / sizeof pdf_bad[0])

START_TEST(pdf_bad_input_leaves_target)
{
    const char *path = testutil_path("target.pdf");
    testutil_file_put(path, "precious");
    int e = image_pdf_write(&pdf_bad[_i].img, path, pdf_bad[_i].w_mm, pdf_bad[_i].h_mm);
    ck_assert_msg(e == -1, "image_pdf_write(%s): expected -1, got %d", pdf_bad[_i].what, e);
    testutil_expect_file_text(path, "precious");
    testutil_expect_dir_holds_only("target.pdf", pdf_bad[_i].what);
}
END_TEST

START_TEST(pdf_missing_directory_fails)
{
    uint8_t px[4] = {1, 2, 3, 4};
    image_view_t img = {.pixels = px, .width = 2, .height = 2, .stride = 2, .format = IMAGE_GRAY8};
    const char *path = testutil_path("no/such/dir/out.pdf");
    int e = image_pdf_write(&img, path, 105, 148);
    ck_assert_msg(e == -1, "image_pdf_write(%s): expected -1, got %d", path, e);
    ck_assert_msg(access(testutil_path("no"), F_OK) != 0, "expected no directory created");
}
END_TEST

static int pdf_write_a6(const image_view_t *img, const char *path)
{
    return image_pdf_write(img, path, a6_mm[0], a6_mm[1]);
}

START_TEST(pdf_failed_write_leaves_target)
{
    expect_fsize_failure(pdf_write_a6, testutil_path("target.pdf"), "image_pdf_write");
    testutil_expect_dir_holds_only("target.pdf", "a failed PDF write");
}
END_TEST

static TCase *tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    return tc;
}

static Suite *image_formats_suite(void)
{
    Suite *s = suite_create("image formats");
    TCase *tc = tcase("PWG raster round trip through libcups");
    tcase_add_test(tc, pwg_gray_a6_round_trip);
    tcase_add_test(tc, pwg_rgb_custom_round_trip);
    tcase_add_test(tc, pwg_named_media_same_bytes);
    tcase_add_test(tc, pwg_named_4x6_at_600);
    tcase_add_test(tc, pwg_unknown_media_named_from_size);
    suite_add_tcase(s, tc);

    tc = tcase("PWG raster to a file descriptor");
    tcase_add_test(tc, pwg_fd_same_bytes_as_file);
    tcase_add_test(tc, pwg_fd_streams_through_pipe);
    tcase_add_test(tc, pwg_fd_bad_inputs_write_nothing);
    suite_add_tcase(s, tc);

    tc = tcase("PWG raster failures leave existing files");
    tcase_add_loop_test(tc, pwg_bad_input_leaves_target, 0, PWG_BAD);
    tcase_add_test(tc, pwg_landscape_for_portrait_media_fails);
    tcase_add_test(tc, pwg_missing_directory_fails);
    tcase_add_test(tc, pwg_failed_write_leaves_target);
    suite_add_tcase(s, tc);

    tc = tcase("PDF page size and pixels through poppler");
    tcase_add_test(tc, pdf_gray_a6_page_and_pixels);
    tcase_add_test(tc, pdf_rgb_page_and_pixels);
    tcase_add_test(tc, pdf_same_image_same_bytes);
    suite_add_tcase(s, tc);

    tc = tcase("PDF failures leave existing files");
    tcase_add_loop_test(tc, pdf_bad_input_leaves_target, 0, PDF_BAD);
    tcase_add_test(tc, pdf_missing_directory_fails);
    tcase_add_test(tc, pdf_failed_write_leaves_target);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(image_formats_suite());
}
