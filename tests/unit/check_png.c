/* check_png.c - image_png_write(): pixels read back with libpng, and failures that leave any
 * existing file as it was. The tests run as root too, where permissions do not fail a write:
 * failures come from a parent that is a regular file, an invalid view, or RLIMIT_FSIZE. */
#include "likeletter/image.h"
#include "testutil.h"

#include <check.h>
#include <png.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void setup(void)
{
    testutil_tmpdir_make("check_png");
}

/* ---- reading back with libpng ---- */

typedef struct png_file {
    png_uint_32 width, height;
    int color_type, bit_depth;
    bool has_phys;
    png_uint_32 res_x, res_y;
    int unit;
    uint8_t *pixels; /* rows packed: width * channels bytes each */
} png_file_t;

static bool png_read_file(const char *path, png_file_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return false;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(f);
        return false;
    }
    png_init_io(png, f);
    png_read_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
    memset(out, 0, sizeof *out);
    out->width = png_get_image_width(png, info);
    out->height = png_get_image_height(png, info);
    out->color_type = png_get_color_type(png, info);
    out->bit_depth = png_get_bit_depth(png, info);
    out->has_phys = png_get_pHYs(png, info, &out->res_x, &out->res_y, &out->unit) != 0;
    size_t row = png_get_rowbytes(png, info);
    png_bytepp rows = png_get_rows(png, info);
    out->pixels = malloc(row * out->height + 1);
    for (png_uint_32 y = 0; out->pixels && y < out->height; y++) {
        memcpy(out->pixels + row * y, rows[y], row);
    }
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
    return out->pixels != NULL;
}

/* A test image: width x height of channels bytes per pixel in rows of stride bytes, whose
 * padding holds 0xEE (which must not reach the file). */
static uint8_t *pattern(int32_t width, int32_t height, int channels, ptrdiff_t stride)
{
    uint8_t *p = malloc((size_t)stride * (size_t)height);
    ck_assert_ptr_nonnull(p);
    memset(p, 0xEE, (size_t)stride * (size_t)height);
    for (int32_t y = 0; y < height; y++) {
        for (int32_t x = 0; x < width * channels; x++) {
            p[(size_t)y * (size_t)stride + (size_t)x] = (uint8_t)(x * 37 + y * 101 + 7);
        }
    }
    return p;
}

static void expect_pixels(const png_file_t *got, const uint8_t *src, int32_t width, int32_t height,
                          int channels, ptrdiff_t stride)
{
    size_t row = (size_t)width * (size_t)channels;
    for (int32_t y = 0; y < height; y++) {
        const uint8_t *want = src + (size_t)y * (size_t)stride;
        const uint8_t *have = got->pixels + row * (size_t)y;
        for (size_t x = 0; x < row; x++) {
            ck_assert_msg(have[x] == want[x], "row %d byte %zu: expected %u, got %u", y, x, want[x],
                          have[x]);
        }
    }
}

START_TEST(gray_round_trip)
{
    const int32_t w = 7, h = 5;
    const ptrdiff_t stride = 9;
    uint8_t *src = pattern(w, h, 1, stride);
    image_view_t img = {.pixels = src,
                        .width = w,
                        .height = h,
                        .stride = stride,
                        .format = IMAGE_GRAY8,
                        .dpi = 300};
    const char *path = testutil_path("gray.png");
    int e = image_png_write(&img, path);
    ck_assert_msg(e == 0, "image_png_write(gray 7x5): expected 0, got %d", e);
    png_file_t got;
    ck_assert_msg(png_read_file(path, &got), "%s: expected a PNG libpng reads", path);
    ck_assert_msg(got.width == 7 && got.height == 5, "expected 7x5, got %ux%u", got.width,
                  got.height);
    ck_assert_msg(got.color_type == PNG_COLOR_TYPE_GRAY && got.bit_depth == 8,
                  "expected 8-bit gray (type %d), got type %d depth %d", PNG_COLOR_TYPE_GRAY,
                  got.color_type, got.bit_depth);
    expect_pixels(&got, src, w, h, 1, stride);
    /* 300 dpi = 11811.02 pixels per metre. */
    ck_assert_msg(got.has_phys && got.unit == PNG_RESOLUTION_METER && got.res_x >= 11810 &&
                      got.res_x <= 11812 && got.res_y == got.res_x,
                  "pHYs: expected 11811 px/m both ways, got %s %u x %u unit %d",
                  got.has_phys ? "present" : "absent", got.res_x, got.res_y, got.unit);
    char names[256];
    ck_assert_msg(testutil_dir_list(testutil_tmpdir(), names, sizeof names) == 1,
                  "expected only gray.png in the directory, found: %s", names);
    free(got.pixels);
    free(src);
}
END_TEST

START_TEST(rgb_round_trip)
{
    const int32_t w = 6, h = 4;
    const ptrdiff_t stride = 6 * 3 + 2;
    uint8_t *src = pattern(w, h, 3, stride);
    image_view_t img = {
        .pixels = src, .width = w, .height = h, .stride = stride, .format = IMAGE_RGB8, .dpi = 0};
    const char *path = testutil_path("rgb.png");
    testutil_file_put(path, "an older file to replace");
    int e = image_png_write(&img, path);
    ck_assert_msg(e == 0, "image_png_write(rgb 6x4): expected 0, got %d", e);
    png_file_t got;
    ck_assert_msg(png_read_file(path, &got), "%s: expected a PNG libpng reads", path);
    ck_assert_msg(got.width == 6 && got.height == 4, "expected 6x4, got %ux%u", got.width,
                  got.height);
    ck_assert_msg(got.color_type == PNG_COLOR_TYPE_RGB && got.bit_depth == 8,
                  "expected 8-bit RGB (type %d), got type %d depth %d", PNG_COLOR_TYPE_RGB,
                  got.color_type, got.bit_depth);
    expect_pixels(&got, src, w, h, 3, stride);
    ck_assert_msg(!got.has_phys, "dpi 0: expected no pHYs chunk");
    free(got.pixels);
    free(src);
}
END_TEST

/* ---- failures ---- */

START_TEST(missing_directory_fails)
{
    uint8_t px[4] = {1, 2, 3, 4};
    image_view_t img = {.pixels = px, .width = 2, .height = 2, .stride = 2, .format = IMAGE_GRAY8};
    const char *path = testutil_path("no/such/dir/out.png");
    int e = image_png_write(&img, path);
    ck_assert_msg(e == -1, "image_png_write(%s): expected -1, got %d", path, e);
    ck_assert_msg(access(path, F_OK) != 0, "%s: expected no file after a failure", path);
    ck_assert_msg(access(testutil_path("no"), F_OK) != 0, "expected no directory created");
}
END_TEST

START_TEST(parent_is_a_file_fails)
{
    uint8_t px[4] = {1, 2, 3, 4};
    image_view_t img = {.pixels = px, .width = 2, .height = 2, .stride = 2, .format = IMAGE_GRAY8};
    testutil_file_put(testutil_path("file.png"), "keep me");
    int e = image_png_write(&img, testutil_path("file.png/out.png"));
    ck_assert_msg(e == -1, "image_png_write(file.png/out.png): expected -1, got %d", e);
    testutil_expect_file_text(testutil_path("file.png"), "keep me");
    char names[256];
    ck_assert_msg(testutil_dir_list(testutil_tmpdir(), names, sizeof names) == 1,
                  "expected only file.png in the directory, found: %s", names);
}
END_TEST

/* Views no PNG can hold: each must fail and leave the existing target as it was, with no
 * temporary file behind. */
START_TEST(invalid_view_leaves_target)
{
    static uint8_t px[64];
    image_view_t views[] = {
        {.pixels = px, .width = 0, .height = 2, .stride = 2, .format = IMAGE_GRAY8},
        {.pixels = px, .width = 2, .height = 0, .stride = 2, .format = IMAGE_GRAY8},
        {.pixels = px, .width = -3, .height = 2, .stride = 2, .format = IMAGE_GRAY8},
        {.pixels = px, .width = 4, .height = 2, .stride = 3, .format = IMAGE_GRAY8},
        {.pixels = px, .width = 4, .height = 2, .stride = 8, .format = (image_format_t)2},
        {.pixels = px, .width = 4, .height = 2, .stride = 11, .format = IMAGE_RGB8},
    };
    const char *what[] = {"width 0",  "height 0",          "width -3", "stride 3 < width 4",
                          "format 2", "RGB stride 11 < 12"};
    const char *path = testutil_path("target.png");
    testutil_file_put(path, "precious");
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
        int e = image_png_write(&views[i], path);
        ck_assert_msg(e == -1, "image_png_write(%s): expected -1, got %d", what[i], e);
        testutil_expect_file_text(path, "precious");
        char names[256];
        ck_assert_msg(testutil_dir_list(testutil_tmpdir(), names, sizeof names) == 1,
                      "after %s: expected only target.png in the directory, found: %s", what[i],
                      names);
    }
}
END_TEST

/* A write that fails half-way (the file size limit, which binds root too). */
START_TEST(failed_write_leaves_target)
{
    const int32_t w = 512, h = 512;
    uint8_t *noise = testutil_noise((size_t)w * (size_t)h); /* incompressible: ~256 KiB of PNG */
    image_view_t img = {
        .pixels = noise, .width = w, .height = h, .stride = w, .format = IMAGE_GRAY8};
    const char *path = testutil_path("target.png");
    testutil_expect_write_past_fsize_fails(image_png_write, &img, path, "image_png_write");
    char names[256];
    ck_assert_msg(testutil_dir_list(testutil_tmpdir(), names, sizeof names) == 1,
                  "after a failed write: expected only target.png in the directory, found: %s",
                  names);
    free(noise);
}
END_TEST

static Suite *png_suite(void)
{
    Suite *s = suite_create("png");
    TCase *tc = tcase_create("round trip through libpng");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, gray_round_trip);
    tcase_add_test(tc, rgb_round_trip);
    suite_add_tcase(s, tc);

    tc = tcase_create("failures leave existing files");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, missing_directory_fails);
    tcase_add_test(tc, parent_is_a_file_fails);
    tcase_add_test(tc, invalid_view_leaves_target);
    tcase_add_test(tc, failed_write_leaves_target);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(png_suite());
}
