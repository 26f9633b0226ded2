/* bench-print.c - `likeletter bench --print --printer DEST [--runs N] [--dpi 300|600]`.
 *
 * One A6 card (a 600-byte note, Dancing Script, seed fixed) is rendered and encoded once; then
 * N times: queue_job_add() into a fresh queue in a temporary folder (durable: the commit is on
 * disk), and the print worker stepped without its idle sleeps until the printer has accepted
 * the job (Print-Job answered with a job id) - which includes the worker reading the job, the
 * printer's status check, decoding the queued PNG and streaming the PWG raster. The worker then
 * follows the job to completion before the next card, so each card meets an idle printer.
 * Medians and the 90th percentile are printed, with the time to render and encode the card.
 */
#include "bench-print.h"

#include "likeletter/card.h"
#include "likeletter/image.h"
#include "likeletter/log.h"
#include "likeletter/printing.h"
#include "likeletter/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FONT "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf"
#define FALLBACK "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define MAX_RUNS 200

static const char note[] =
    "Thank you so much for your post about the reading group at the old library. I read it twice "
    "on the train home, and then once more aloud to my sister, who laughed at the part about the "
    "borrowed umbrella. It reminded me how much I miss slow evenings with a good book and a pot "
    "of tea, and people who listen as well as they talk. Your list of letters and diaries is now "
    "pinned above my desk, and I have already found two of them in the library downstairs. "
    "Please keep writing about the small things that make this office feel like a neighbourhood.";

typedef struct print_bench {
    const char *printer;
    int runs;
    int32_t dpi;
    char dir[64];
    char db[128];
    queue_card_t card;
    image_memory_t png;
    double render_ms;
    int64_t accepted; /* the job id the worker last reported submitted */
} print_bench_t;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void on_event(void *ctx, const printing_event_t *ev)
{
    print_bench_t *b = ctx;
    if (ev->state == QUEUE_SUBMITTED || ev->state == QUEUE_COMPLETED) {
        b->accepted = ev->job_id;
    }
}

static int card_make(print_bench_t *b)
{
    char err[256];
    b->card = (queue_card_t){.fonts = {FONT, FALLBACK},
                             .spec = {.format = CARD_A6,
                                      .dpi = b->dpi,
                                      .seed = 42,
                                      .ink = CARD_INK_DEFAULT,
                                      .em_mm = CARD_EM_MM,
                                      .min_em_mm = CARD_MIN_EM_MM},
                             .content = {.post_url = "https://social.example/@anna/1",
                                         .post_title = "Reading group",
                                         .to = "Anna",
                                         .from = "Jonas",
                                         .note = note,
                                         .note_len = sizeof note - 1,
                                         .date = "2024-05-17"}};
    card_renderer_t *r = card_renderer_create(&b->card.fonts, err, sizeof err);
    int32_t w = 0, h = 0;
    card_size_px(&b->card.spec, &w, &h);
    uint8_t *rgb = malloc((size_t)w * (size_t)h * 3);
    double t0 = now_ms();
    int rc = r && rgb ? card_render(r, &b->card.spec, &b->card.content, rgb, (ptrdiff_t)w * 3, err,
                                    sizeof err)
                      : -1;
    if (rc == 0) {
        image_view_t img = {rgb, w, h, (ptrdiff_t)w * 3, IMAGE_RGB8, b->dpi};
        b->png = (image_memory_t){.limit = QUEUE_DOCUMENT_MAX};
        image_sink_t sink = {.write = image_sink_memory_write, .ctx = &b->png, .what = "card"};
        rc = image_png_write_sink(&img, &sink);
        b->render_ms = now_ms() - t0;
    } else {
        fprintf(stderr, "bench --print: %s\n", r ? err : "cannot open the fonts");
    }
    free(rgb);
    card_renderer_free(r);
    return rc;
}

/* One card: queued, then the worker stepped until the printer accepted it, then until done. */
static int one_card(print_bench_t *b, queue_t *q, printing_t *w, double *queue_ms,
                    double *accept_ms)
{
    int64_t id;
    double t0 = now_ms();
    if (queue_job_add(q, &b->card, b->printer, NULL, b->png.data, b->png.len, &id) != 0) {
        return -1;
    }
    double t1 = now_ms();
    while (b->accepted != id) {
        if (printing_step(w) < 0 || now_ms() - t1 > 30000) {
            fprintf(stderr, "bench --print: card %lld was not accepted within 30 s\n",
                    (long long)id);
            return -1;
        }
    }
    double t2 = now_ms();
    *queue_ms = t1 - t0, *accept_ms = t2 - t0;
    queue_job_t job = {0};
    while (queue_job_get(q, id, false, &job) == 0 && job.state != QUEUE_COMPLETED &&
           now_ms() - t2 < 30000) {
        queue_job_clear(&job);
        int64_t wait = printing_step(w);
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (wait > 0 ? (long)wait : 1L) * 1000000L};
        nanosleep(&ts, NULL);
    }
    int rc = job.state == QUEUE_COMPLETED ? 0 : -1;
    queue_job_clear(&job);
    return rc;
}

static int runs_measure(print_bench_t *b, double *queue_ms, double *accept_ms)
{
    queue_t *q = queue_open(b->db);
    printing_config_t cfg = {.queue_path = b->db, .on_event = on_event, .ctx = b};
    printing_t *w = q ? printing_create(&cfg) : NULL;
    int rc = w ? 0 : -1;
    if (q) {
        queue_limits_set(q, 0, 0);
    }
    for (int i = 0; rc == 0 && i < b->runs; i++) {
        rc = one_card(b, q, w, &queue_ms[i], &accept_ms[i]);
    }
    printing_free(w);
    queue_close(q);
    return rc;
}

static int usage(const char *what)
{
    fprintf(stderr,
            "likeletter bench --print: %s\nusage: likeletter bench --print --printer "
            "URI|QUEUE [--runs N (1..200, default 20)] [--dpi 300|600]\n",
            what);
    return 2;
}

static int options(int argc, char **argv, print_bench_t *b)
{
    b->runs = 20, b->dpi = 300;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--print") == 0) {
            continue;
        }
        if (!v) {
            return usage("an option needs a value");
        }
        if (strcmp(a, "--printer") == 0) {
            b->printer = v;
        } else if (strcmp(a, "--runs") == 0) {
            b->runs = atoi(v);
        } else if (strcmp(a, "--dpi") == 0) {
            b->dpi = atoi(v);
        } else {
            return usage("unknown option");
        }
        i++;
    }
    if (!b->printer) {
        return usage("--printer is required (an ipp:// URI, a CUPS queue, or file:/DIR)");
    }
    if (b->runs < 1 || b->runs > MAX_RUNS || (b->dpi != 300 && b->dpi != 600)) {
        return usage("--runs is 1 to 200 and --dpi 300 or 600");
    }
    return 0;
}

int bench_print_main(int argc, char **argv)
{
    print_bench_t b = {0};
    int rc = options(argc, argv, &b);
    if (rc != 0) {
        return rc;
    }
    snprintf(b.dir, sizeof b.dir, "/tmp/likeletter-bench.XXXXXX");
    if (!mkdtemp(b.dir)) {
        perror("bench --print: mkdtemp");
        return 1;
    }
    snprintf(b.db, sizeof b.db, "%s/queue.db", b.dir);
    double queue_ms[MAX_RUNS], accept_ms[MAX_RUNS];
    rc = card_make(&b) == 0 && runs_measure(&b, queue_ms, accept_ms) == 0 ? 0 : 1;
    if (rc == 0) {
        qsort(queue_ms, (size_t)b.runs, sizeof(double), compare);
        qsort(accept_ms, (size_t)b.runs, sizeof(double), compare);
        int med = b.runs / 2, p90 = (b.runs * 9) / 10 < b.runs ? (b.runs * 9) / 10 : b.runs - 1;
        printf("print: A6 card at %d dpi (%zu-byte PNG) to %s, %d cards\n", b.dpi, b.png.len,
               b.printer, b.runs);
        printf("  render + PNG encode (once)        %7.1f ms\n", b.render_ms);
        printf("  queued durably (add + fsync)      %7.1f ms median, %7.1f ms p90\n", queue_ms[med],
               queue_ms[p90]);
        printf("  queued -> accepted by the printer %7.1f ms median, %7.1f ms p90  (target <= "
               "250 ms)\n",
               accept_ms[med], accept_ms[p90]);
    }
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", b.dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "bench --print: could not remove %s\n", b.dir);
    }
    free(b.png.data);
    return rc;
}
