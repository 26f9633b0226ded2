/* app.c - the kiosk: the window, the loop, touches to targets, the visitor's session and its
 * idle timeout, and the print worker on its own thread. The screens draw themselves
 * (screens.c, screen-letter.c). */
#define _DEFAULT_SOURCE /* explicit_bzero, getrandom */
#include "app.h"
#include "ui.h"

#include "likeletter/log.h"
#include "likeletter/printer.h"
#include "likeletter/queue.h"

#include <errno.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define ATTRACT_AFTER_MS 1500 /* a finished screen lingers this long at least */

/* ---- language ---- */

extern int _nl_msg_cat_cntr; /* GNU gettext: bumping it drops translations already looked up */

const char *ui_text(const ui_t *u, const char *english)
{
    (void)u;
    return dgettext("likeletter", english);
}

const char *ui_lang_code(card_lang_t lang)
{
    return lang == CARD_LANG_DE ? "de" : lang == CARD_LANG_NL ? "nl" : "en";
}

/* The visitor's language for gettext: LANGUAGE wins over the locale (which must not be "C"). */
void language_set(ui_t *u, const char *lang)
{
    if (strcmp(u->lang, lang) != 0) {
        log_msg(LOG_INFO, "kiosk: language %s", lang);
    }
    snprintf(u->lang, sizeof u->lang, "%s", lang);
    if (u->kb) {
        keyboard_layout_set(u->kb, lang[0] == 'd'   ? KEYBOARD_DE
                                   : lang[0] == 'n' ? KEYBOARD_NL
                                                    : KEYBOARD_EN);
    }
    setenv("LANGUAGE", lang, 1);
    ++_nl_msg_cat_cntr;
}

static void gettext_init(const char *localedir)
{
    if (!setlocale(LC_ALL, "") || strcmp(setlocale(LC_MESSAGES, NULL), "C") == 0) {
        /* gettext ignores LANGUAGE in the "C" locale; C.UTF-8 is always there. */
        setlocale(LC_ALL, "C.UTF-8");
    }
    /* Numbers are parsed and printed the C way whatever the visitor's language. */
    setlocale(LC_NUMERIC, "C");
    bindtextdomain("likeletter", localedir);
    bind_textdomain_codeset("likeletter", "UTF-8");
}

/* ---- session ---- */

static void session_id_new(ui_t *u)
{
    uint8_t b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        for (size_t i = 0; i < sizeof b; i++) {
            b[i] = (uint8_t)(rand() & 0xFF);
        }
    }
    for (size_t i = 0; i < sizeof b; i++) {
        snprintf(u->session + 2 * i, 3, "%02x", b[i]);
    }
}

/* ---- the letter's autosave ---- */

static uint32_t session_ms(const ui_t *u)
{
    return (uint32_t)(u->cfg.idle_timeout + u->cfg.still_there_seconds) * 1000u;
}

/* Saves the letter being written (at most every 2 s while typing, and when asked to): after
 * a crash or power cut it comes back, but only until the session would have timed out. */
static void draft_autosave(ui_t *u, bool now)
{
    const feed_post_t *p = ui_post(u);
    if (!u->drafts || !u->draft_dirty || !p || (!now && u->now - u->draft_saved < 2000)) {
        return;
    }
    session_draft_t d;
    session_draft_clear(&d);
    size_t len;
    const char *t = textedit_text(u->note, &len);
    session_draft_note_set(&d, t, len);
    t = textedit_text(u->from, &len);
    session_draft_from_set(&d, t, len);
    session_draft_post_set(&d, p->id, strlen(p->id));
    session_draft_font_set(&d, u->font);
    session_draft_ink_set(&d, u->ink);
    session_draft_format_set(&d, u->card);
    session_draft_lang_set(&d, u->lang[0] == 'd'   ? CARD_LANG_DE
                               : u->lang[0] == 'n' ? CARD_LANG_NL
                                                   : CARD_LANG_EN);
    uint32_t idle = u->now - u->last_input + u->idle_debt;
    int64_t left = (int64_t)session_ms(u) - (int64_t)idle;
    if (left > 0) {
        draft_save(u->drafts, u->session, &d, draft_wall_ms() + left);
    }
    explicit_bzero(&d, sizeof d);
    u->draft_dirty = false;
    u->draft_saved = u->now;
}

/* A letter saved before a crash, still within its session: back on the letter screen. */
static void draft_restore(ui_t *u)
{
    session_draft_t d;
    char id[SESSION_ID_LEN + 1];
    int64_t expires = 0, now = draft_wall_ms();
    if (!u->drafts || draft_load(u->drafts, now, &d, id, &expires) != 0) {
        return;
    }
    for (size_t i = 0; u->feed && i < feed_count(u->feed); i++) {
        if (strcmp(feed_post(u->feed, i)->id, d.post_id) == 0) {
            u->post = i;
            snprintf(u->session, sizeof u->session, "%s", id);
            textedit_load(u->note, d.note, strlen(d.note));
            textedit_load(u->from, d.from, strlen(d.from));
            u->font = d.font, u->ink = d.ink, u->card = d.format;
            language_set(u, ui_lang_code(d.lang));
            /* The session ends when it would have: the idle clock is set back accordingly. */
            int64_t left = expires - now, total = session_ms(u);
            u->idle_debt = (uint32_t)(left < total ? total - left : 0);
            ui_screen_set(u, SCREEN_LETTER);
            u->preview_dirty = true;
            log_msg(LOG_INFO, "kiosk: a letter was restored after a restart (%lld s left)",
                    (long long)(left / 1000));
            break;
        }
    }
    explicit_bzero(&d, sizeof d);
}

/* The visitor walked away: forget everything they typed and chose (and its autosave, unless
 * the kiosk is only being stopped: a restart within the session brings the letter back). */
static void session_wipe(ui_t *u, bool keep_draft)
{
    if (u->drafts && !keep_draft) {
        draft_wipe(u->drafts);
    }
    u->draft_dirty = false;
    if (u->ledger) {
        ledger_session_forget(u->ledger, u->session);
    }
    textedit_clear(u->note);
    textedit_clear(u->from);
    textedit_clear(u->message);
    explicit_bzero(u->handoff, sizeof u->handoff);
    explicit_bzero(u->qr_text, sizeof u->qr_text);
    u->handed = false;
    u->edit = NULL;
    keyboard_cancel(u->kb);
    u->font = 0, u->ink = 0, u->card = u->cfg.card, u->greeting = 0, u->liked = false;
    u->preview_dirty = true;
    u->job_id = 0;
    language_set(u, ui_lang_code(u->cfg.language));
    session_id_new(u);
}

void ui_session_end(ui_t *u)
{
    session_wipe(u, false);
    ui_screen_set(u, SCREEN_ATTRACT);
}

void ui_screen_set(ui_t *u, screen_t s)
{
    static const char *const names[SCREEN_COUNT] = {"attract", "post",     "liked", "share",
                                                    "letter",  "printing", "done",  "still-there",
                                                    "message", "call",     "pin",   "admin"};
    if (s != u->screen) {
        /* For the log reader (and the window tests): where the visitor is. */
        log_msg(LOG_INFO, "kiosk: screen %s", names[s]);
    }
    u->screen = s;
    u->screen_since = u->now;
    u->pressed = -1;
}

const feed_post_t *ui_post(const ui_t *u)
{
    size_t n = u->feed ? feed_count(u->feed) : 0;
    return n ? feed_post(u->feed, u->post % n) : NULL;
}

/* Idle: a prompt after idle_timeout, then the session is wiped and the posts come back. */
static void idle_check(ui_t *u)
{
    uint32_t idle = u->now - u->last_input + u->idle_debt;
    uint32_t limit = (uint32_t)u->cfg.idle_timeout * 1000u;
    uint32_t grace = (uint32_t)u->cfg.still_there_seconds * 1000u;
    if (u->screen == SCREEN_ATTRACT) {
        return;
    }
    if (u->screen != SCREEN_STILL_THERE && idle >= limit && u->screen != SCREEN_PRINTING) {
        u->back = u->screen;
        ui_screen_set(u, SCREEN_STILL_THERE);
    } else if (u->screen == SCREEN_STILL_THERE && idle >= limit + grace) {
        session_wipe(u, false);
        ui_screen_set(u, SCREEN_ATTRACT);
    }
}

/* ---- touch ---- */

void ui_button(ui_t *u, int id, display_rect_t r, const char *label, bool primary)
{
    if (u->ntargets < UI_TARGETS) {
        u->targets[u->ntargets++] = (ui_target_t){r, id};
    }
    bool held = u->pressed == id;
    uint32_t fill = primary ? (held ? 0x8F3F1Eu : UI_ACCENT) : (held ? 0xE8E0D0u : UI_CARD);
    display_fill(u->display, r, fill, 255, ui_mm(u, 2));
    if (!primary) {
        display_frame(u->display, r, UI_LINE, 1, 0);
    }
    if (label && label[0]) {
        float size = ui_mm(u, 4.2f), tw, th;
        display_text_size(u->display, label, size, true, r.w - ui_mm(u, 4), &tw, &th);
        display_text(u->display, label, r.x + ui_mm(u, 2), r.y + (r.h - th) / 2, size, true,
                     primary ? 0xFFFFFFu : UI_INK, DISPLAY_CENTER, r.w - ui_mm(u, 4));
    }
}

static int target_at(const ui_t *u, float x, float y)
{
    /* The last registered target is on top. */
    for (int i = u->ntargets - 1; i >= 0; i--) {
        const display_rect_t *r = &u->targets[i].r;
        if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h) {
            return u->targets[i].id;
        }
    }
    return -1;
}

/* ---- printing thread ---- */

static void on_print_event(void *ctx, const printing_event_t *ev)
{
    ui_t *u = ctx;
    pthread_mutex_lock(&u->lock);
    u->print.job_id = ev->job_id;
    u->print.state = ev->state;
    u->print.needs_person = ev->needs_person;
    const char *m = printer_reason_message(ev->reasons, u->lang);
    snprintf(u->print.message, sizeof u->print.message, "%s", m ? m : "");
    pthread_mutex_unlock(&u->lock);
}

static void *worker_main(void *arg)
{
    ui_t *u = arg;
    int lock = -1;
    long holder = 0;
    int locked = printing_lock(u->db_path, &lock, &holder);
    if (locked != 0) {
        log_msg(LOG_WARN, "kiosk: the print queue is drained by process %ld, not by the kiosk",
                holder);
        return NULL;
    }
    printing_config_t cfg = {.queue_path = u->db_path,
                             .timeout = u->cfg.print_timeout_ms / 1000.0,
                             .on_event = on_print_event,
                             .ctx = u};
    printing_t *w = printing_create(&cfg);
    if (w && printing_run(w, &u->worker_stop) != 0) {
        log_msg(LOG_ERROR, "kiosk: the print worker stopped: the queue's database failed");
    }
    printing_free(w);
    close(lock);
    return NULL;
}

/* ---- the printer watcher ---- */

void ui_cards_learn(ui_t *u, const printer_status_t *st)
{
    uint32_t taken = 0;
    char names[64] = "";
    for (int32_t i = 0; i < u->cfg.card_count; i++) {
        double w, h;
        card_format_mm(u->cfg.cards[i], &w, &h);
        if (printer_status_takes(st, w, h)) {
            taken |= 1u << u->cfg.cards[i];
            size_t n = strlen(names);
            snprintf(names + n, sizeof names - n, "%s%s", n ? "," : "",
                     card_format_name(u->cfg.cards[i]));
        }
    }
    pthread_mutex_lock(&u->lock);
    bool changed = !u->cards_known || u->cards_taken != taken;
    u->cards_taken = taken, u->cards_known = true;
    pthread_mutex_unlock(&u->lock);
    if (changed && taken) {
        log_msg(LOG_INFO, "kiosk: card sizes the printer takes: %s", names);
    } else if (changed) {
        log_msg(LOG_WARN, "kiosk: the printer lists none of cards_offered; offering them all");
    }
}

/* Which card sizes the printer takes, once a minute (paper may be changed): the letter screen
 * offers those. A printer that does not answer keeps what it said last. */
static void *watcher_main(void *arg)
{
    ui_t *u = arg;
    printer_t *p = printer_open(u->cfg.printer, u->cfg.print_timeout_ms / 1000.0);
    while (!u->worker_stop) {
        printer_status_t st;
        if (p && printer_status_get(p, &st) == 0) {
            ui_cards_learn(u, &st);
        }
        for (int i = 0; i < 600 && !u->worker_stop; i++) {
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    printer_close(p);
    return NULL;
}

int ui_cards(ui_t *u, card_format_t out[CONFIG_CARDS])
{
    pthread_mutex_lock(&u->lock);
    uint32_t taken = u->cards_known ? u->cards_taken : ~0u;
    pthread_mutex_unlock(&u->lock);
    int n = 0;
    for (int pass = 0; pass < 2 && n == 0; pass++, taken = ~0u) {
        for (int32_t i = 0; i < u->cfg.card_count && i < CONFIG_CARDS; i++) {
            if (taken & (1u << u->cfg.cards[i])) {
                out[n++] = u->cfg.cards[i];
            }
        }
    }
    return n;
}

/* ---- measuring ---- */

double ui_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int float_cmp(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Median, 99th percentile and maximum of the last n (<= cap) samples, sorted in place. */
static void stats_log(const char *what, float *v, size_t count, size_t cap)
{
    size_t n = count < cap ? count : cap;
    if (n == 0) {
        return;
    }
    qsort(v, n, sizeof *v, float_cmp);
    log_msg(LOG_INFO,
            "kiosk: %s: %zu measured, median %.2f ms, 99th percentile %.2f ms, max %.2f ms", what,
            count, (double)v[n / 2], (double)v[(n * 99) / 100], (double)v[n - 1]);
}

/* ---- the loop ---- */

static void frame_draw(ui_t *u)
{
    u->ntargets = 0;
    u->nfields = 0;
    display_size(u->display, &u->w, &u->h);
    display_clear(u->display, UI_BG);
    switch (u->screen) {
    case SCREEN_ATTRACT:
        screen_attract_draw(u);
        break;
    case SCREEN_POST:
    case SCREEN_LIKED:
        screen_post_draw(u);
        break;
    case SCREEN_SHARE:
        screen_share_draw(u);
        break;
    case SCREEN_LETTER:
        screen_letter_draw(u);
        break;
    case SCREEN_PRINTING:
    case SCREEN_DONE:
        screen_printing_draw(u);
        break;
    case SCREEN_STILL_THERE:
        screen_still_there_draw(u);
        break;
    case SCREEN_MESSAGE:
        screen_message_draw(u);
        break;
    case SCREEN_CALL:
        screen_call_draw(u);
        break;
    case SCREEN_PIN:
        screen_pin_draw(u);
        break;
    case SCREEN_ADMIN:
        screen_admin_draw(u);
        break;
    default:
        break;
    }
}

static void tap(ui_t *u, int id)
{
    switch (u->screen) {
    case SCREEN_STILL_THERE:
        ui_screen_set(u, u->back);
        break;
    case SCREEN_LETTER:
        screen_letter_act(u, id);
        break;
    case SCREEN_MESSAGE:
    case SCREEN_CALL:
        screen_rung_act(u, id);
        break;
    case SCREEN_PIN:
    case SCREEN_ADMIN:
        screen_admin_act(u, id);
        break;
    default:
        screen_post_act(u, id);
        break;
    }
}

static void event_handle(ui_t *u, const display_event_t *ev)
{
    if (ev->type == DISPLAY_EV_QUIT) {
        /* SIGTERM from the service manager; a visitor cannot close the window. */
        u->quit = true;
        return;
    }
    u->last_input = u->now;
    u->idle_debt = 0;
    ui_admin_corner(u, ev);
    if ((u->screen == SCREEN_LETTER || u->screen == SCREEN_MESSAGE) && u->edit &&
        ui_keyboard_event(u, ev)) {
        return;
    }
    if (ev->type == DISPLAY_EV_DOWN) {
        u->pressed = target_at(u, ev->x, ev->y);
        u->down_x = ev->x, u->down_y = ev->y;
    } else if (ev->type == DISPLAY_EV_MOVE && u->pressed >= 0 &&
               target_at(u, ev->x, ev->y) != u->pressed) {
        u->pressed = -1; /* slid off: no tap */
    } else if (ev->type == DISPLAY_EV_UP) {
        int id = target_at(u, ev->x, ev->y);
        int was = u->pressed;
        u->pressed = -1;
        if (id >= 0 && id == was) {
            tap(u, id);
        } else if (u->screen == SCREEN_ATTRACT || u->screen == SCREEN_STILL_THERE) {
            tap(u, -1); /* anywhere */
        }
    }
}

static int run(ui_t *u)
{
    while (!u->quit) {
        display_event_t ev;
        u->now = display_ms(u->display);
        /* Events wake the loop at once; between them, 60 frames a second while something moves
         * under a finger (the like's animation, a held key repeating), 30 for the attract
         * screen's slow fade between posts, and 10 for the caret: a kiosk waiting all day in
         * the lobby does not keep a Pi's CPU and GPU busy. */
        int32_t wait = u->screen == SCREEN_LIKED || u->kb_touch ? 16
                       : u->screen == SCREEN_ATTRACT            ? 33
                                                                : 100;
        /* The first event ends the wait; the rest already queued are handled before drawing. */
        while (display_event_wait(u->display, &ev, wait)) {
            u->now = display_ms(u->display);
            event_handle(u, &ev);
            wait = 0;
        }
        u->now = display_ms(u->display);
        if (u->edit) {
            ui_keyboard_tick(u);
        }
        if (u->edit_done) {
            u->edit = NULL, u->edit_done = false;
        }
        if (u->screen == SCREEN_LETTER && u->preview_dirty) {
            u->draft_dirty = true;
        }
        draft_autosave(u, false);
        ui_admin_tick(u);
        idle_check(u);
        double t0 = ui_clock_ms();
        frame_draw(u);
        display_present(u->display);
        u->frame_ms[u->frames++ % 4096] = (float)(ui_clock_ms() - t0);
    }
    return 0;
}

/* ---- start and stop ---- */

static int stores_open(ui_t *u, const app_options_t *o)
{
    char err[512];
    const char *feed = o->feed ? o->feed : u->cfg.feed;
    u->feed = feed_load_file(feed, err, sizeof err);
    if (!u->feed) {
        /* The kiosk still starts: an empty lobby screen says there is nothing to show. */
        log_msg(LOG_ERROR, "kiosk: %s", err);
    }
    u->ledger = ledger_open(u->db_path);
    u->drafts = draft_open(u->db_path);
    for (size_t i = 0; u->feed && u->ledger && i < feed_count(u->feed); i++) {
        const feed_post_t *p = feed_post(u->feed, i);
        ledger_post_t lp = {p->id, p->title, p->link, p->author, p->email, p->date};
        ledger_post_upsert(u->ledger, &lp);
    }
    return u->ledger ? 0 : -1;
}

int app_run(const app_options_t *o)
{
    ui_t *u = calloc(1, sizeof *u);
    if (!u) {
        return 1;
    }
    u->cfg = *o->cfg;
    u->card = u->cfg.card;
    snprintf(u->db_path, sizeof u->db_path, "%s", o->db_path);
    snprintf(u->config_path, sizeof u->config_path, "%s", o->config_path ? o->config_path : "");
    gettext_init(o->localedir);
    language_set(u, ui_lang_code(u->cfg.language));
    session_id_new(u);
    pthread_mutex_init(&u->lock, NULL);
    u->pressed = -1;
    u->kb = keyboard_create(KEYBOARD_EN);
    u->note = textedit_create(TEXTEDIT_NOTE_CHARS, TEXTEDIT_NOTE_BYTES, true);
    u->from = textedit_create(TEXTEDIT_NAME_CHARS, TEXTEDIT_NAME_BYTES, false);
    u->message = textedit_create(TEXTEDIT_MESSAGE_CHARS, TEXTEDIT_MESSAGE_BYTES, true);
    int rc = 1;
    if (!u->kb || !u->note || !u->from || !u->message) {
        goto out;
    }
    language_set(u, ui_lang_code(u->cfg.language));
    display_config_t dc = {.title = "likeletter",
                           .width = o->width,
                           .height = o->height,
                           .fullscreen = !o->windowed && u->cfg.fullscreen,
                           .portrait = u->cfg.orientation == CONFIG_PORTRAIT,
                           .font_path = u->cfg.ui_font,
                           .font_bold_path = o->ui_font_bold};
    if (stores_open(u, o) != 0 || !(u->display = display_open(&dc))) {
        goto out;
    }
    u->mm = display_px_per_mm(u->display);
    draft_restore(u);
    u->worker_running = pthread_create(&u->worker, NULL, worker_main, u) == 0;
    u->watcher_running = pthread_create(&u->watcher, NULL, watcher_main, u) == 0;
    log_msg(LOG_INFO, "kiosk: first frame after %u ms", display_ms(u->display));
    rc = run(u);
    stats_log("frame time", u->frame_ms, u->frames, 4096);
    stats_log("preview re-render", u->preview_ms, u->previews, 1024);
out:
    u->worker_stop = 1;
    if (u->worker_running) {
        pthread_join(u->worker, NULL);
    }
    if (u->watcher_running) {
        pthread_join(u->watcher, NULL);
    }
    session_wipe(u, true);
    display_close(u->display);
    for (int i = 0; i < CONFIG_FONTS; i++) {
        card_renderer_free(u->renderers[i]);
    }
    ledger_close(u->ledger);
    draft_close(u->drafts);
    feed_free(u->feed);
    free(u->preview);
    keyboard_free(u->kb);
    textedit_free(u->note);
    textedit_free(u->from);
    textedit_free(u->message);
    pthread_mutex_destroy(&u->lock);
    free(u);
    return rc;
}
