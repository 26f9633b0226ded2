/* cmd-print.c - `likeletter print`, `printd`, `queue` and `printers`: cards into the durable
 * queue, the worker that drains it, and what people need to see and fix. */
#include "commands.h"

#include "likeletter/config.h"
#include "likeletter/image.h"
#include "likeletter/log.h"
#include "likeletter/printer.h"
#include "likeletter/printing.h"
#include "likeletter/queue.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DB_NAME "likeletter.db"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void signals_catch(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A printer closing its connection mid-document must be an error, not the end. */
    signal(SIGPIPE, SIG_IGN);
}

/* The settings printing uses (printer, timeout, limits) from the config file, or defaults. */
static int settings_load(const paths_t *paths, config_t *cfg)
{
    char err[600];
    if (config_load(cfg, paths->config_file, false, err, sizeof err) != 0) {
        fprintf(stderr, "likeletter: %s\n", err);
        return -1;
    }
    return 0;
}

/* "<state>/likeletter.db", the state directory made when missing. */
static int db_path(const paths_t *paths, char *out, size_t len)
{
    if (paths_state_dir_make(paths) != 0) {
        return -1;
    }
    if (snprintf(out, len, "%s/%s", paths->state_dir, DB_NAME) >= (int)len) {
        fprintf(stderr, "likeletter: the state directory's path is too long\n");
        return -1;
    }
    return 0;
}

/* One line per event, as printd and print --wait show them. */
static void event_print(void *ctx, const printing_event_t *ev)
{
    (void)ctx;
    char when[16];
    time_t t = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%H:%M:%S", localtime_r(&t, &tm));
    printf("%s job %lld: %s", when, (long long)ev->job_id, queue_state_name(ev->state));
    if (ev->printer_job_id > 0 && ev->state == QUEUE_SUBMITTED) {
        printf(" as printer job %d", (int)ev->printer_job_id);
    }
    printf("\n");
    if (ev->message[0]) {
        printf("  %s%s\n", ev->message, ev->needs_person ? " (needs a person)" : "");
    }
    fflush(stdout);
}

/* ---- print ---------------------------------------------------------------------------- */

/* The rendered card as PNG bytes: what the queue keeps. */
static int card_png(const render_opts_t *o, image_memory_t *png)
{
    uint8_t *rgb;
    int32_t w, h;
    if (render_card(o, &rgb, &w, &h) != 0) {
        return -1;
    }
    image_view_t img = {rgb, w, h, (ptrdiff_t)w * 3, IMAGE_RGB8, o->spec.dpi};
    *png = (image_memory_t){.limit = QUEUE_DOCUMENT_MAX};
    image_sink_t sink = {.write = image_sink_memory_write, .ctx = png, .what = "the card"};
    int rc = image_png_write_sink(&img, &sink);
    free(rgb);
    return rc;
}

static int job_add(const render_opts_t *o, const config_t *cfg, const char *db,
                   const image_memory_t *png, int64_t *id)
{
    queue_t *q = queue_open(db);
    if (!q) {
        fprintf(stderr, "likeletter print: cannot open the print queue %s\n", db);
        return 1;
    }
    queue_limits_set(q, cfg->max_pending_per_session, cfg->max_pending);
    queue_card_t card = {.fonts = {o->font, o->fallback}, .spec = o->spec, .content = o->content};
    int rc = queue_job_add(q, &card, o->printer ? o->printer : cfg->printer, o->session, png->data,
                           png->len, id);
    queue_close(q);
    if (rc == QUEUE_FULL) {
        fprintf(stderr, "likeletter print: the queue is full: a card from this session is "
                        "still waiting (see: likeletter queue)\n");
        return 1;
    }
    if (rc != 0) {
        fprintf(stderr, "likeletter print: the card could not be queued (see the log above)\n");
        return 1;
    }
    return 0;
}

/* Terminal for print --wait: completed, failed or canceled. */
static bool job_done(queue_state_t s)
{
    return s == QUEUE_COMPLETED || s == QUEUE_FAILED || s == QUEUE_CANCELED;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Watches job id until it ends or the timeout passes, draining the queue here when no other
 * worker holds the lock (printd, the kiosk). Returns the exit status. */
static int job_wait(const char *db, int64_t id, double timeout, double network_timeout)
{
    int lock = -1;
    long holder = 0;
    int locked = printing_lock(db, &lock, &holder);
    printing_t *w = NULL;
    if (locked == 0) {
        printing_config_t cfg = {
            .queue_path = db, .timeout = network_timeout, .on_event = event_print};
        w = printing_create(&cfg);
    } else if (locked == 1) {
        printf("printing through the worker already running (pid %ld)\n", holder);
    }
    queue_t *q = queue_open(db);
    double end = mono_s() + timeout;
    queue_state_t last = (queue_state_t)-1;
    queue_job_t job = {0};
    int status = 1;
    double next_step = 0;
    while (q && !stop_requested && mono_s() < end) {
        int64_t wait = 100;
        if (w && mono_s() >= next_step) {
            wait = printing_step(w);
            next_step = mono_s() + (double)wait / 1000.0;
        }
        if (wait < 0 || queue_job_get(q, id, false, &job) != 0) {
            break;
        }
        if (!w && job.state != last) {
            printf("job %lld: %s%s%s\n", (long long)id, queue_state_name(job.state),
                   job.message[0] ? ": " : "", job.message);
            fflush(stdout);
        }
        last = job.state;
        if (job_done(job.state)) {
            status = job.state == QUEUE_COMPLETED ? 0 : 1;
            break;
        }
        queue_job_clear(&job);
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)(wait < 100 ? wait : 100) * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (!job_done(last)) {
        printf("job %lld: not printed yet (%s%s%s); the card stays queued and will print when "
               "the printer is ready\n",
               (long long)id, (int)last >= 0 ? queue_state_name(last) : "unknown",
               job.message[0] ? ": " : "", job.message);
    } else if (status == 0) {
        printf("job %lld: printed\n", (long long)id);
    } else {
        printf("job %lld: %s: %s\n", (long long)id, queue_state_name(last), job.message);
    }
    queue_job_clear(&job);
    queue_close(q);
    printing_free(w);
    if (lock >= 0) {
        close(lock);
    }
    return status;
}

int cmd_print(int argc, char **argv, const paths_t *paths)
{
    render_opts_t o = {0};
    char *file_text;
    int rc = render_opts_load(argc, argv, &o, true, &file_text);
    config_t cfg;
    if (rc == 0 && settings_load(paths, &cfg) != 0) {
        rc = 1;
    }
    char db[PATHS_MAX + 32];
    image_memory_t png = {0};
    int64_t id = 0;
    if (rc == 0 && db_path(paths, db, sizeof db) != 0) {
        rc = 1;
    }
    if (rc == 0 && card_png(&o, &png) != 0) {
        rc = 1;
    }
    if (rc == 0) {
        rc = job_add(&o, &cfg, db, &png, &id);
    }
    free(png.data);
    free(file_text);
    if (rc != 0) {
        return rc;
    }
    const char *dest = o.printer ? o.printer : cfg.printer;
    printf("queued card %lld for %s\n", (long long)id, dest[0] ? dest : "the default printer");
    fflush(stdout);
    if (!o.wait) {
        return 0;
    }
    signals_catch();
    return job_wait(db, id, o.timeout, cfg.print_timeout_ms / 1000.0);
}

/* ---- printd --------------------------------------------------------------------------- */

int cmd_printd(int argc, char **argv, const paths_t *paths)
{
    commands_memory_tune();
    config_t settings;
    if (settings_load(paths, &settings) != 0) {
        return 1;
    }
    printing_config_t cfg = {.on_event = event_print,
                             .timeout = settings.print_timeout_ms / 1000.0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
            cfg.timeout = strtod(argv[++i], NULL);
        } else {
            fprintf(stderr,
                    "likeletter printd: unknown option %s\nusage: likeletter printd "
                    "[--timeout SECONDS-PER-NETWORK-STEP]\n",
                    argv[i]);
            return 2;
        }
    }
    char db[PATHS_MAX + 32];
    if (db_path(paths, db, sizeof db) != 0) {
        return 1;
    }
    int lock;
    long holder;
    int locked = printing_lock(db, &lock, &holder);
    if (locked != 0) {
        fprintf(stderr, "likeletter printd: %s\n",
                locked > 0 ? "another worker is draining this queue already"
                           : "cannot lock the queue");
        if (locked > 0 && holder > 0) {
            fprintf(stderr, "likeletter printd: it is process %ld\n", holder);
        }
        return 1;
    }
    cfg.queue_path = db;
    printing_t *w = printing_create(&cfg);
    if (!w) {
        close(lock);
        return 1;
    }
    signals_catch();
    printf("printd: draining %s\n", db);
    fflush(stdout);
    int rc = printing_run(w, &stop_requested);
    printing_free(w);
    close(lock);
    return rc == 0 ? 0 : 1;
}

/* ---- queue ---------------------------------------------------------------------------- */

static void job_line(const queue_job_t *j)
{
    char when[32];
    time_t t = (time_t)(j->created_ms / 1000);
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime_r(&t, &tm));
    printf("%6lld  %-10s  %s  %-4s %-24.24s  %-16.16s  %s\n", (long long)j->id,
           queue_state_name(j->state), when, card_format_name(j->card.spec.format),
           j->printer[0] ? j->printer : "(default)", j->card.content.to, j->message);
}

static int queue_list_print(queue_t *q, bool all)
{
    unsigned pending = 1u << QUEUE_QUEUED | 1u << QUEUE_SUBMITTING | 1u << QUEUE_SUBMITTED;
    queue_job_t jobs[50];
    size_t n = 0;
    if (queue_job_list(q, all ? 0 : pending | 1u << QUEUE_FAILED, jobs, 50, &n) != 0) {
        return 1;
    }
    printf("%6s  %-10s  %-16s  %-4s %-24s  %-16s  %s\n", "id", "state", "queued", "card", "printer",
           "to", "status");
    for (size_t i = 0; i < n; i++) {
        job_line(&jobs[i]);
        queue_job_clear(&jobs[i]);
    }
    if (n == 0) {
        printf("(no %s jobs)\n", all ? "" : "pending or failed");
    }
    return 0;
}

/* --cancel: the printer's copy too, when it has one. */
static int job_cancel(queue_t *q, int64_t id)
{
    queue_job_t j = {0};
    int rc = queue_job_get(q, id, false, &j);
    if (rc == 0 && j.state == QUEUE_SUBMITTED && j.printer_job_id > 0) {
        printer_t *p = printer_open(j.printer, 0);
        if (p && printer_job_cancel(p, j.printer_job_id) != 0) {
            fprintf(stderr, "likeletter queue: the printer did not cancel its job %d\n",
                    (int)j.printer_job_id);
        }
        printer_close(p);
    }
    queue_job_clear(&j);
    return rc == 0 ? queue_job_cancel(q, id) : rc;
}

static int queue_action(queue_t *q, const char *action, int64_t id)
{
    int64_t new_id = 0;
    int rc = strcmp(action, "--cancel") == 0  ? job_cancel(q, id)
             : strcmp(action, "--retry") == 0 ? queue_job_retry(q, id)
                                              : queue_job_reprint(q, id, &new_id);
    const char *why = rc == QUEUE_NOT_FOUND     ? "there is no such job"
                      : rc == QUEUE_WRONG_STATE ? "not possible in the job's state"
                      : rc == QUEUE_FULL        ? "the queue is full"
                      : rc != 0                 ? "the queue failed (see the log above)"
                                                : NULL;
    if (why) {
        fprintf(stderr, "likeletter queue: %s %lld: %s\n", action, (long long)id, why);
        return 1;
    }
    if (new_id) {
        printf("job %lld: reprinted as job %lld\n", (long long)id, (long long)new_id);
    } else {
        printf("job %lld: %s\n", (long long)id, action + 2);
    }
    return 0;
}

int cmd_queue(int argc, char **argv, const paths_t *paths)
{
    const char *action = NULL;
    int64_t id = 0;
    bool all = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0) {
            all = true;
        } else if ((strcmp(argv[i], "--cancel") == 0 || strcmp(argv[i], "--retry") == 0 ||
                    strcmp(argv[i], "--reprint") == 0) &&
                   i + 1 < argc) {
            action = argv[i];
            char *end;
            id = strtoll(argv[++i], &end, 10);
            if (*end || id <= 0) {
                fprintf(stderr, "likeletter queue: %s: not a job id: %s\n", action, argv[i]);
                return 2;
            }
        } else {
            fprintf(stderr,
                    "likeletter queue: unknown option %s\nusage: likeletter queue "
                    "[--all] [--cancel ID | --retry ID | --reprint ID]\n",
                    argv[i]);
            return 2;
        }
    }
    char db[PATHS_MAX + 32];
    if (db_path(paths, db, sizeof db) != 0) {
        return 1;
    }
    queue_t *q = queue_open(db);
    if (!q) {
        return 1;
    }
    int rc = action ? queue_action(q, action, id) : queue_list_print(q, all);
    queue_close(q);
    return rc;
}

/* ---- printers ------------------------------------------------------------------------- */

/* The paper the printer lists, and the card sizes that fit it (what the kiosk offers). */
static void sizes_print(const printer_status_t *st)
{
    if (st->media_count >= 0) {
        printf("  paper:");
        for (int32_t i = 0; i < st->media_count; i++) {
            printf(" %s", st->media[i]);
        }
        printf("%s\n", st->media_count ? "" : " (none listed)");
    }
    printf("  card sizes it takes:");
    int taken = 0;
    for (int f = CARD_A6; f <= CARD_5X7; f++) {
        double w, h;
        card_format_mm((card_format_t)f, &w, &h);
        if (printer_status_takes(st, w, h)) {
            printf(" %s", card_format_name((card_format_t)f));
            taken++;
        }
    }
    printf("%s%s\n", taken ? "" : " none", st->media_count < 0 ? " (any size)" : "");
}

static void status_print(const char *dest)
{
    printer_t *p = printer_open(dest, 0);
    printer_status_t st;
    if (!p) {
        return;
    }
    int rc = printer_status_get(p, &st);
    const char *state = st.state == PRINTER_STATE_IDLE         ? "idle"
                        : st.state == PRINTER_STATE_PROCESSING ? "printing"
                        : st.state == PRINTER_STATE_STOPPED    ? "stopped"
                                                               : "not answering";
    printf("%s (%s driver): %s%s%s\n", dest[0] ? dest : "(CUPS default)", printer_driver_name(p),
           state, st.keywords[0] ? ", " : "", st.keywords);
    const char *msg = printer_reason_message(st.reasons, "en");
    if (msg) {
        printf("  %s\n", msg);
    }
    for (int32_t i = 0; rc == 0 && i < st.markers; i++) {
        printf("  %s: %d%%\n", st.marker_name[i][0] ? st.marker_name[i] : "marker",
               (int)st.marker_level[i]);
    }
    if (rc == 0) {
        sizes_print(&st);
    }
    printer_close(p);
}

int cmd_printers(int argc, char **argv, const paths_t *paths)
{
    (void)paths;
    if (argc > 1 && strcmp(argv[1], "--status") == 0) {
        status_print(argc > 2 ? argv[2] : "");
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "usage: likeletter printers [--status URI|QUEUE|file:/DIR]\n");
        return 2;
    }
    int n = printer_list(stdout);
    if (n == 0) {
        printf("(no CUPS queues; an IPP printer can be given by its ipp:// URI)\n");
    }
    return n < 0 ? 1 : 0;
}
