/* screen-admin.c - the community manager's screen, behind a long press in the top-left corner
 * of the attract screen and the admin PIN (a salted hash in the config): the printer's state
 * and a test print, the print queue (cancel, retry, reprint), the counts per rung, the default
 * language and idle timeout (saved to the config), and the only way out of the kiosk. */
#define _DEFAULT_SOURCE /* explicit_bzero */
#include "ui.h"

#include "likeletter/image.h"
#include "likeletter/log.h"
#include "likeletter/printer.h"
#include "likeletter/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIN_TRIES 3 /* wrong PINs before a pause */
#define PIN_PAUSE_MS 30000u

enum {
    ID_DIGIT = 300, /* + 0..9 */
    ID_PIN_CLEAR = 310,
    ID_PIN_OK,
    ID_CANCEL,
    ID_STATUS,
    ID_TEST_PRINT,
    ID_LANG_EN,
    ID_LANG_DE,
    ID_LANG_NL,
    ID_IDLE_LESS,
    ID_IDLE_MORE,
    ID_EXIT,
    ID_JOB_CANCEL = 400, /* + row */
    ID_JOB_RETRY = 420,
    ID_JOB_REPRINT = 440,
};

#define JOB_ROWS 6

static void admin_refresh(ui_t *u);

void ui_admin_corner(ui_t *u, const display_event_t *ev)
{
    bool corner = ev->x < ui_mm(u, 15) && ev->y < ui_mm(u, 15);
    if (ev->type == DISPLAY_EV_DOWN && corner && u->screen == SCREEN_ATTRACT) {
        u->corner_since = u->now ? u->now : 1;
    } else if (ev->type == DISPLAY_EV_UP || (ev->type == DISPLAY_EV_MOVE && !corner)) {
        u->corner_since = 0;
    }
}

void ui_admin_tick(ui_t *u)
{
    if (u->corner_since && u->screen == SCREEN_ATTRACT && u->now - u->corner_since >= 3000) {
        u->corner_since = 0;
        explicit_bzero(u->pin, sizeof u->pin);
        u->admin_note[0] = '\0';
        ui_screen_set(u, SCREEN_PIN);
    }
}

void screen_pin_draw(ui_t *u)
{
    float w = (float)u->w, h = (float)u->h, b = ui_mm(u, 16), gap = ui_mm(u, 3);
    float x0 = (w - 3 * b - 2 * gap) / 2, y0 = ui_mm(u, 40);
    char dots[32] = "";
    for (size_t i = 0; u->pin[i] && i < 12; i++) {
        strcat(dots, "\xe2\x97\x8f"); /* a dot per digit, never the digits */
    }
    display_text(u->display, ui_text(u, "Admin PIN"), 0, ui_mm(u, 10), ui_mm(u, 7), true, UI_INK,
                 DISPLAY_CENTER, w);
    display_text(u->display, dots[0] ? dots : " ", 0, ui_mm(u, 22), ui_mm(u, 7), true, UI_INK,
                 DISPLAY_CENTER, w);
    for (int d = 0; d < 10; d++) {
        int pos = d == 0 ? 10 : d - 1; /* 1..9, then 0 in the middle of the last row */
        char label[2] = {(char)('0' + d), 0};
        ui_button(u, ID_DIGIT + d,
                  (display_rect_t){x0 + (float)(pos % 3) * (b + gap),
                                   y0 + (float)(pos / 3) * (b + gap), b, b},
                  label, false);
    }
    ui_button(u, ID_PIN_CLEAR, (display_rect_t){x0, y0 + 3 * (b + gap), b, b}, "C", false);
    ui_button(u, ID_PIN_OK, (display_rect_t){x0 + 2 * (b + gap), y0 + 3 * (b + gap), b, b}, "OK",
              true);
    ui_button(u, ID_CANCEL, (display_rect_t){ui_mm(u, 6), ui_mm(u, 6), ui_mm(u, 30), ui_mm(u, 11)},
              ui_text(u, "Back"), false);
    if (u->admin_note[0]) {
        display_text(u->display, u->admin_note, 0, h - ui_mm(u, 14), ui_mm(u, 4.5f), false,
                     UI_ACCENT, DISPLAY_CENTER, w);
    }
}

static void pin_check(ui_t *u)
{
    if (u->pin_tries >= PIN_TRIES && u->now - u->pin_failed_at < PIN_PAUSE_MS) {
        snprintf(u->admin_note, sizeof u->admin_note, "%s",
                 ui_text(u, "Too many wrong PINs. Please wait a little."));
    } else if (!u->cfg.admin_pin_hash[0]) {
        snprintf(u->admin_note, sizeof u->admin_note, "%s",
                 ui_text(u, "No admin PIN is set (likeletter pin sets one)."));
    } else if (config_pin_check(&u->cfg, u->pin)) {
        u->pin_tries = 0;
        admin_refresh(u);
        ui_screen_set(u, SCREEN_ADMIN);
    } else {
        u->pin_tries = u->pin_tries >= PIN_TRIES ? 1 : u->pin_tries + 1;
        u->pin_failed_at = u->now;
        log_msg(LOG_WARN, "kiosk: a wrong admin PIN was entered");
        snprintf(u->admin_note, sizeof u->admin_note, "%s", ui_text(u, "Wrong PIN."));
    }
    explicit_bzero(u->pin, sizeof u->pin);
}

/* ---- the admin screen ---- */

static void status_refresh(ui_t *u)
{
    printer_t *p = printer_open(u->cfg.printer, u->cfg.print_timeout_ms / 1000.0);
    printer_status_t st = {0};
    int rc = p ? printer_status_get(p, &st) : PRINTER_E_INVALID;
    const char *m = printer_reason_message(st.reasons, u->lang);
    snprintf(u->admin_status, sizeof u->admin_status, "%.200s: %s%s%.300s",
             u->cfg.printer[0] ? u->cfg.printer : "CUPS",
             rc == 0 ? ui_text(u, "ready") : ui_text(u, "not answering"), m ? " - " : "",
             m ? m : "");
    printer_close(p);
    if (rc == 0) {
        ui_cards_learn(u, &st); /* paper may have been changed: offer what it takes now */
    }
}

/* Reads the queue's newest cards and the counts once: the screen redraws ten times a second,
 * and opening the queue's database for each frame would be work done for nothing. */
static void admin_refresh(ui_t *u)
{
    queue_t *q = queue_open(u->db_path);
    queue_job_t jobs[JOB_ROWS];
    size_t n = 0;
    if (q && queue_job_list(q, 0, jobs, JOB_ROWS, &n) != 0) {
        n = 0;
    }
    queue_close(q);
    for (size_t i = 0; i < n; i++) {
        u->admin_jobs[i] = jobs[i].id;
        snprintf(u->admin_rows[i], sizeof u->admin_rows[i], "#%lld  %s  %s %.40s",
                 (long long)jobs[i].id, queue_state_name(jobs[i].state), ui_text(u, "to"),
                 jobs[i].card.content.to);
        queue_job_clear(&jobs[i]);
    }
    u->admin_njobs = n;
    memset(u->admin_totals, 0, sizeof u->admin_totals);
    if (u->ledger) {
        ledger_totals(u->ledger, u->admin_totals);
    }
}

static void jobs_draw(ui_t *u, float x, float y, float w)
{
    float rh = ui_mm(u, 11), bw = ui_mm(u, 24);
    for (size_t i = 0; i < u->admin_njobs; i++) {
        float ry = y + (float)i * (rh + ui_mm(u, 1.5f));
        display_text(u->display, u->admin_rows[i], x, ry + ui_mm(u, 2.5f), ui_mm(u, 4), false,
                     UI_INK, DISPLAY_LEFT, w - 3 * bw);
        ui_button(u, ID_JOB_CANCEL + (int)i, (display_rect_t){x + w - 3 * bw, ry, bw - 4, rh},
                  ui_text(u, "Cancel"), false);
        ui_button(u, ID_JOB_RETRY + (int)i, (display_rect_t){x + w - 2 * bw, ry, bw - 4, rh},
                  ui_text(u, "Retry"), false);
        ui_button(u, ID_JOB_REPRINT + (int)i, (display_rect_t){x + w - bw, ry, bw - 4, rh},
                  ui_text(u, "Reprint"), false);
    }
    if (u->admin_njobs == 0) {
        display_text(u->display, ui_text(u, "No cards in the queue."), x, y, ui_mm(u, 4), false,
                     UI_MUTED, DISPLAY_LEFT, w);
    }
}

void screen_admin_draw(ui_t *u)
{
    float m = ui_mm(u, 6), w = (float)u->w, bh = ui_mm(u, 11), col = (w - 3 * m) / 2;
    display_text(u->display, ui_text(u, "Kiosk administration"), m, m, ui_mm(u, 6.5f), true, UI_INK,
                 DISPLAY_LEFT, 0);
    ui_button(u, ID_CANCEL, (display_rect_t){w - m - ui_mm(u, 40), m, ui_mm(u, 40), bh},
              ui_text(u, "Back"), false);
    float y = m + ui_mm(u, 16);
    display_text(u->display, u->admin_status[0] ? u->admin_status : ui_text(u, "Printer"), m, y,
                 ui_mm(u, 4), false, UI_INK, DISPLAY_LEFT, col);
    ui_button(u, ID_STATUS, (display_rect_t){m, y + ui_mm(u, 12), ui_mm(u, 40), bh},
              ui_text(u, "Printer status"), false);
    ui_button(u, ID_TEST_PRINT,
              (display_rect_t){m + ui_mm(u, 44), y + ui_mm(u, 12), ui_mm(u, 40), bh},
              ui_text(u, "Test print"), false);
    const int64_t *t = u->admin_totals;
    char counts[256];
    snprintf(counts, sizeof counts, "%s: %lld  %s: %lld  %s: %lld  %s: %lld  %s: %lld",
             ui_text(u, "Like"), (long long)t[LEDGER_LIKE], ui_text(u, "Share"),
             (long long)t[LEDGER_SHARE], ui_text(u, "Message"), (long long)t[LEDGER_MESSAGE],
             ui_text(u, "Coffee chat"), (long long)t[LEDGER_CALL], ui_text(u, "Letter"),
             (long long)t[LEDGER_LETTER]);
    y += ui_mm(u, 30);
    display_text(u->display, counts, m, y, ui_mm(u, 4), false, UI_INK, DISPLAY_LEFT, col);
    y += ui_mm(u, 14);
    static const struct {
        int id;
        card_lang_t lang;
        const char *label;
    } langs[] = {{ID_LANG_EN, CARD_LANG_EN, "English"},
                 {ID_LANG_DE, CARD_LANG_DE, "Deutsch"},
                 {ID_LANG_NL, CARD_LANG_NL, "Nederlands"}};
    for (int i = 0; i < 3; i++) {
        ui_button(u, langs[i].id,
                  (display_rect_t){m + (float)i * ui_mm(u, 34), y, ui_mm(u, 32), bh},
                  langs[i].label, u->cfg.language == langs[i].lang);
    }
    y += bh + ui_mm(u, 4);
    char idle[96];
    snprintf(idle, sizeof idle, "%s: %d s", ui_text(u, "Idle timeout"), (int)u->cfg.idle_timeout);
    ui_button(u, ID_IDLE_LESS, (display_rect_t){m, y, bh, bh}, "-", false);
    display_text(u->display, idle, m + bh + ui_mm(u, 3), y + ui_mm(u, 3), ui_mm(u, 4), false,
                 UI_INK, DISPLAY_LEFT, 0);
    ui_button(u, ID_IDLE_MORE, (display_rect_t){m + ui_mm(u, 60), y, bh, bh}, "+", false);
    ui_button(u, ID_EXIT, (display_rect_t){m, (float)u->h - m - bh, ui_mm(u, 50), bh},
              ui_text(u, "Exit the kiosk"), true);
    if (u->admin_note[0]) {
        display_text(u->display, u->admin_note, m, (float)u->h - m - bh - ui_mm(u, 10), ui_mm(u, 4),
                     false, UI_ACCENT, DISPLAY_LEFT, col);
    }
    jobs_draw(u, 2 * m + col, m + ui_mm(u, 16), col);
}

/* Saves the changed settings; the kiosk starts with them next time too. */
static void settings_save(ui_t *u)
{
    bool ok = u->config_path[0] && config_save(&u->cfg, u->config_path) == 0;
    snprintf(u->admin_note, sizeof u->admin_note, "%s",
             ok ? ui_text(u, "Saved.") : ui_text(u, "Not saved: see the log."));
}

static void job_act(ui_t *u, int id)
{
    int row = (id - ID_JOB_CANCEL) % 20, kind = (id - ID_JOB_CANCEL) / 20;
    int64_t job = u->admin_jobs[row], new_id = 0;
    queue_t *q = queue_open(u->db_path);
    int rc = !q          ? -1
             : kind == 0 ? queue_job_cancel(q, job)
             : kind == 1 ? queue_job_retry(q, job)
                         : queue_job_reprint(q, job, &new_id);
    queue_close(q);
    snprintf(u->admin_note, sizeof u->admin_note, "#%lld: %s", (long long)job,
             rc == 0 ? ui_text(u, "done") : ui_text(u, "not possible in its state"));
    admin_refresh(u);
}

void screen_admin_act(ui_t *u, int id)
{
    if (u->screen == SCREEN_PIN) {
        size_t n = strlen(u->pin);
        if (id >= ID_DIGIT && id < ID_DIGIT + 10 && n < 12) {
            u->pin[n] = (char)('0' + id - ID_DIGIT);
        } else if (id == ID_PIN_CLEAR) {
            explicit_bzero(u->pin, sizeof u->pin);
        } else if (id == ID_PIN_OK) {
            pin_check(u);
        } else if (id == ID_CANCEL) {
            explicit_bzero(u->pin, sizeof u->pin);
            ui_screen_set(u, SCREEN_ATTRACT);
        }
        return;
    }
    if (id == ID_CANCEL) {
        ui_screen_set(u, SCREEN_ATTRACT);
    } else if (id == ID_STATUS) {
        status_refresh(u);
    } else if (id == ID_TEST_PRINT) {
        snprintf(u->admin_note, sizeof u->admin_note, "%s",
                 ui_test_print(u) == 0 ? ui_text(u, "A test card is queued.")
                                       : ui_text(u, "The test card could not be queued."));
        admin_refresh(u);
    } else if (id >= ID_LANG_EN && id <= ID_LANG_NL) {
        u->cfg.language = id == ID_LANG_DE   ? CARD_LANG_DE
                          : id == ID_LANG_NL ? CARD_LANG_NL
                                             : CARD_LANG_EN;
        settings_save(u);
    } else if (id == ID_IDLE_LESS || id == ID_IDLE_MORE) {
        int32_t v = u->cfg.idle_timeout + (id == ID_IDLE_MORE ? 15 : -15);
        u->cfg.idle_timeout = v < 15 ? 15 : v > 3600 ? 3600 : v;
        settings_save(u);
    } else if (id == ID_EXIT) {
        log_msg(LOG_INFO, "kiosk: the admin closed the kiosk");
        u->quit = true;
    } else if (id >= ID_JOB_CANCEL && id < ID_JOB_REPRINT + JOB_ROWS) {
        job_act(u, id);
    }
}
