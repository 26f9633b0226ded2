/* cmd-render.c - `likeletter render`: one card to a PNG, PWG raster or PDF file. */
#include "commands.h"

#include "likeletter/card.h"
#include "likeletter/image.h"
#include "likeletter/layout.h"
#include "likeletter/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_FONT "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf"
#define DEFAULT_FALLBACK "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static bool printing_cmd; /* parsing for `print`: no -o, and the printer options */

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "likeletter %s: ", printing_cmd ? "print" : "render");
    fprintf(stderr, fmt, arg);
    fprintf(stderr,
            "\nusage: likeletter %s --post-url URL --post-title T --to NAME --from NAME\n"
            "         (--text T | --text-file F) [--font F] [--fallback-font F] [--lang en|de|nl]\n"
            "         [--card a6|a5|4x6|5x7] [--dpi 300|600] [--seed N] [--plain] [--border]\n"
            "         [--ink #RRGGBB|blue-black|black|blue] [--date YYYY-MM-DD]\n"
            "         [--salutation WORD (the greeting before --to: Lieber)]\n"
            "         [--size MM] [--min-size MM] [--ornament FILE.png] %s\n",
            printing_cmd ? "print" : "render",
            printing_cmd ? "[--printer URI|QUEUE|file:/DIR] [--wait] [--timeout S]"
                         : "-o OUT.png|OUT.pwg|OUT.pdf");
    return 2;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') {
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

static bool parse_mm(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 1 && v <= 30)) {
        return false;
    }
    *out = v;
    return true;
}

/* One option with a value; returns 0, or usage()'s 2. */
static int option_value(render_opts_t *o, const char *a, const char *v)
{
    const char **slot = strcmp(a, "--post-url") == 0                         ? &o->url
                        : strcmp(a, "--post-title") == 0                     ? &o->title
                        : strcmp(a, "--to") == 0                             ? &o->to
                        : strcmp(a, "--salutation") == 0                     ? &o->salutation
                        : strcmp(a, "--from") == 0                           ? &o->from
                        : strcmp(a, "--text") == 0                           ? &o->text
                        : strcmp(a, "--text-file") == 0                      ? &o->text_file
                        : strcmp(a, "--font") == 0                           ? &o->font
                        : strcmp(a, "--fallback-font") == 0                  ? &o->fallback
                        : strcmp(a, "--date") == 0                           ? &o->date
                        : strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ? &o->out
                        : strcmp(a, "--printer") == 0                        ? &o->printer
                        : strcmp(a, "--session") == 0                        ? &o->session
                        : strcmp(a, "--ornament") == 0                       ? &o->spec.ornament
                                                                             : NULL;
    if (slot) {
        *slot = v;
        return 0;
    }
    card_spec_t *s = &o->spec;
    bool ok = false;
    if (strcmp(a, "--card") == 0) {
        ok = card_format_parse(v, &s->format) == 0;
    } else if (strcmp(a, "--lang") == 0) {
        ok = card_lang_parse(v, &o->content.lang) == 0;
    } else if (strcmp(a, "--ink") == 0) {
        ok = card_ink_parse(v, &s->ink) == 0;
    } else if (strcmp(a, "--seed") == 0) {
        ok = parse_u64(v, &s->seed);
    } else if (strcmp(a, "--size") == 0) {
        ok = parse_mm(v, &s->em_mm);
    } else if (strcmp(a, "--min-size") == 0) {
        ok = parse_mm(v, &s->min_em_mm);
    } else if (strcmp(a, "--timeout") == 0) {
        char *end;
        o->timeout = strtod(v, &end);
        ok = *end == '\0' && o->timeout > 0 && o->timeout <= 86400;
    } else if (strcmp(a, "--dpi") == 0) {
        ok = strcmp(v, "300") == 0 || strcmp(v, "600") == 0;
        s->dpi = ok ? atoi(v) : s->dpi;
    }
    return ok ? 0 : -1;
}

static bool is_value_option(const char *a)
{
    static const char *const known[] = {
        "--post-url", "--post-title",    "--to",       "--from", "--text",     "--text-file",
        "--font",     "--fallback-font", "--date",     "--card", "--lang",     "--ink",
        "--seed",     "--size",          "--min-size", "--dpi",  "--ornament", "--salutation"};
    static const char *const out[] = {"-o", "--output"};
    static const char *const print[] = {"--printer", "--timeout", "--session"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(a, known[i]) == 0) {
            return true;
        }
    }
    const char *const *extra = printing_cmd ? print : out;
    size_t n = printing_cmd ? sizeof print / sizeof print[0] : sizeof out / sizeof out[0];
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a, extra[i]) == 0) {
            return true;
        }
    }
    return false;
}

static int parse_args(int argc, char **argv, render_opts_t *o)
{
    o->timeout = 30;
    o->spec = (card_spec_t){.format = CARD_A6,
                            .dpi = 300,
                            .seed = 1,
                            .ink = CARD_INK_DEFAULT,
                            .em_mm = CARD_EM_MM,
                            .min_em_mm = CARD_MIN_EM_MM};
    o->font = DEFAULT_FONT, o->fallback = DEFAULT_FALLBACK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--plain") == 0 || strcmp(a, "--border") == 0) {
            *(a[2] == 'p' ? &o->spec.plain : &o->spec.border) = true;
            continue;
        }
        if (printing_cmd && strcmp(a, "--wait") == 0) {
            o->wait = true;
            continue;
        }
        if (!is_value_option(a)) {
            return usage("unknown option %s", a);
        }
        if (i + 1 >= argc) {
            return usage("%s needs a value", a);
        }
        if (option_value(o, a, argv[++i]) < 0) {
            fprintf(stderr, "likeletter %s: %s: bad value \"%.80s\"\n",
                    printing_cmd ? "print" : "render", a, argv[i]);
            return usage("%s", "see the accepted values below");
        }
    }
    const char *missing = !o->url                     ? "--post-url"
                          : !o->title                 ? "--post-title"
                          : !o->to                    ? "--to"
                          : !o->from                  ? "--from"
                          : !o->text && !o->text_file ? "--text or --text-file"
                          : !o->out && !printing_cmd  ? "-o"
                                                      : NULL;
    if (missing) {
        return usage("%s is required", missing);
    }
    if (o->text && o->text_file) {
        return usage("%s", "give --text or --text-file, not both");
    }
    if (o->spec.min_em_mm > o->spec.em_mm) {
        o->spec.min_em_mm = o->spec.em_mm;
    }
    return 0;
}

static int out_kind(const char *path, out_kind_t *kind)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) {
        return -1;
    }
    *kind = strcasecmp(dot, ".png") == 0   ? OUT_PNG
            : strcasecmp(dot, ".pwg") == 0 ? OUT_PWG
            : strcasecmp(dot, ".pdf") == 0 ? OUT_PDF
                                           : (out_kind_t)-1;
    return (int)*kind < 0 ? -1 : 0;
}

/* Reads the note file whole (at most LAYOUT_MAX_BYTES), CRLF line ends made LF. */
static char *note_read(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        fprintf(stderr, "likeletter: cannot read %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return NULL;
    }
    char *buf = malloc(LAYOUT_MAX_BYTES + 1);
    size_t n = 0;
    ssize_t got = 1;
    while (buf && n <= LAYOUT_MAX_BYTES &&
           (got = read(fd, buf + n, LAYOUT_MAX_BYTES + 1 - n)) > 0) {
        n += (size_t)got;
    }
    int saved = errno;
    close(fd);
    if (!buf || got < 0 || n > LAYOUT_MAX_BYTES) {
        if (!buf || got < 0) {
            fprintf(stderr, "likeletter: cannot read %s: %s\n", path, strerror(saved));
        } else {
            fprintf(stderr, "likeletter: the note in %s is %jd bytes; at most %d fit\n", path,
                    S_ISREG(st.st_mode) ? (intmax_t)st.st_size : (intmax_t)n, LAYOUT_MAX_BYTES);
        }
        free(buf);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(buf[i] == '\r' && i + 1 < n && buf[i + 1] == '\n')) {
            buf[k++] = buf[i];
        }
    }
    *len = k;
    return buf;
}

static int card_write(const render_opts_t *o, const uint8_t *rgb, int32_t w, int32_t h)
{
    image_view_t img = {rgb, w, h, (ptrdiff_t)w * 3, IMAGE_RGB8, o->spec.dpi};
    double wmm, hmm;
    card_format_mm(o->spec.format, &wmm, &hmm);
    if (o->kind == OUT_PNG) {
        return image_png_write(&img, o->out);
    }
    if (o->kind == OUT_PDF) {
        return image_pdf_write(&img, o->out, wmm, hmm);
    }
    if (o->spec.format != CARD_A5) {
        return image_pwg_write(&img, o->out, card_format_media(o->spec.format));
    }
    image_buffer_t t;
    if (image_rotate_cw(&img, &t) != 0) {
        return -1;
    }
    image_view_t tv = {t.pixels, t.width, t.height, t.stride, t.format, t.dpi};
    int rc = image_pwg_write(&tv, o->out, card_format_media(o->spec.format));
    free(t.pixels);
    return rc;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int render_card(const render_opts_t *o, uint8_t **out, int32_t *out_w, int32_t *out_h)
{
    char err[512];
    card_renderer_t *r =
        card_renderer_create(&(card_fonts_t){o->font, o->fallback}, err, sizeof err);
    int32_t w = 0, h = 0;
    uint8_t *rgb = NULL;
    int rc = 1;
    if (!r) {
        fprintf(stderr, "likeletter %s: %s\n", printing_cmd ? "print" : "render", err);
        goto done;
    }
    card_size_px(&o->spec, &w, &h);
    if (!(rgb = malloc((size_t)w * (size_t)h * 3))) {
        fprintf(stderr, "likeletter: out of memory for a %dx%d card\n", w, h);
        goto done;
    }
    double t0 = now_ms();
    if (card_render(r, &o->spec, &o->content, rgb, (ptrdiff_t)w * 3, err, sizeof err) < 0) {
        fprintf(stderr, "likeletter %s: %s\n", printing_cmd ? "print" : "render", err);
        goto done;
    }
    card_info_t info;
    card_renderer_info(r, &info);
    log_msg(LOG_INFO, "render: %.2f ms, text %.1f mm, %zu note lines", now_ms() - t0, info.em_mm,
            info.note_lines);
    *out = rgb, *out_w = w, *out_h = h;
    rgb = NULL;
    rc = 0;
done:
    free(rgb);
    card_renderer_free(r);
    return rc;
}

/* Renders and writes; 0 or 1. */
static int render_run(render_opts_t *o)
{
    uint8_t *rgb;
    int32_t w, h;
    if (render_card(o, &rgb, &w, &h) != 0) {
        return 1;
    }
    int rc = 1;
    if (card_write(o, rgb, w, h) == 0) {
        double wmm, hmm;
        card_format_mm(o->spec.format, &wmm, &hmm);
        printf("wrote %s: %s %gx%g mm, %dx%d px at %d dpi, seed %llu\n", o->out,
               card_format_name(o->spec.format), wmm, hmm, w, h, o->spec.dpi,
               (unsigned long long)o->spec.seed);
        rc = 0;
    }
    free(rgb);
    return rc;
}

int render_opts_load(int argc, char **argv, render_opts_t *o, bool printing, char **file_text)
{
    printing_cmd = printing;
    *file_text = NULL;
    if (parse_args(argc, argv, o) != 0) {
        return 2;
    }
    if (!printing && out_kind(o->out, &o->kind) < 0) {
        return usage("%s: the output must end in .png, .pwg or .pdf", o->out);
    }
    if (o->date && card_date_check(o->date) < 0) {
        return usage("--date %s: expected a date as YYYY-MM-DD", o->date);
    }
    if (!o->date) {
        time_t t = time(NULL);
        struct tm tm;
        strftime(o->today, sizeof o->today, "%Y-%m-%d", localtime_r(&t, &tm));
        o->date = o->today;
    }
    size_t len = o->text ? strlen(o->text) : 0;
    *file_text = o->text_file ? note_read(o->text_file, &len) : NULL;
    if (o->text_file && !*file_text) {
        return 1;
    }
    o->content = (card_content_t){.post_url = o->url,
                                  .post_title = o->title,
                                  .to = o->to,
                                  .from = o->from,
                                  .note = o->text ? o->text : *file_text,
                                  .note_len = len,
                                  .date = o->date,
                                  .lang = o->content.lang,
                                  .salutation = o->salutation};
    return 0;
}

int cmd_render(int argc, char **argv, const paths_t *paths)
{
    (void)paths;
    render_opts_t o = {0};
    char *file_text;
    int rc = render_opts_load(argc, argv, &o, false, &file_text);
    if (rc == 0) {
        rc = render_run(&o);
    }
    free(file_text);
    return rc;
}
