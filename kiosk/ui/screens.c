/* screens.c - the attract screen, a post with its ladder of five rungs, the share QR, printing
 * progress and the done screen, and the "Still there?" prompt. */
#include "ui.h"

#include "likeletter/log.h"
#include "likeletter/qr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CYCLE_MS 7000u /* the attract screen shows each post this long */

enum {
    ID_BEGIN = 1,
    ID_LANG_EN,
    ID_LANG_DE,
    ID_LANG_NL,
    ID_BACK,
    ID_PREV,
    ID_NEXT,
    ID_RUNG_LIKE,
    ID_RUNG_SHARE,
    ID_RUNG_MESSAGE,
    ID_RUNG_CALL,
    ID_RUNG_LETTER,
    ID_DONE,
};

/* Each rung: its name and what it does, in English (gettext keys). Letter is the top. */
static const struct {
    ledger_rung_t rung;
    int id;
    const char *name, *what;
} rungs[LEDGER_RUNGS] = {
    {LEDGER_LETTER, ID_RUNG_LETTER, N_("Letter"), N_("Write a card by hand; we print it for you.")},
    {LEDGER_CALL, ID_RUNG_CALL, N_("Coffee chat"), N_("Invite the author for a coffee.")},
    {LEDGER_MESSAGE, ID_RUNG_MESSAGE, N_("Message"), N_("Send the author a few words.")},
    {LEDGER_SHARE, ID_RUNG_SHARE, N_("Share"), N_("Take the post to your phone, source included.")},
    {LEDGER_LIKE, ID_RUNG_LIKE, N_("Like"), N_("One tap: the author sees it was liked.")},
};

static void date_text(int64_t t, char *out, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm)) {
        out[0] = '\0';
        return;
    }
    strftime(out, len, "%Y-%m-%d", &tm);
}

static void counts_refresh(ui_t *u)
{
    const feed_post_t *p = ui_post(u);
    memset(u->counts, 0, sizeof u->counts);
    if (p && u->ledger) {
        ledger_counts(u->ledger, p->id, u->counts);
    }
}

int ui_record(ui_t *u, ledger_rung_t rung, const char *text)
{
    const feed_post_t *p = ui_post(u);
    int rc = p && u->ledger ? ledger_record(u->ledger, p->id, rung, u->session, text, NULL) : -1;
    counts_refresh(u);
    return rc;
}

/* Shows the QR code of text in r: a link (qr_create) or any text for a phone (qr_text_create);
 * made once per text and kept in the QR image slot. */
static void qr_show(ui_t *u, const char *text, bool link, display_rect_t r)
{
    if (strcmp(u->qr_text, text) != 0) {
        char err[256];
        qr_t *q = link ? qr_create(text, err, sizeof err)
                       : qr_text_create(text, strlen(text), err, sizeof err);
        int32_t mpx = link ? 8 : 4, px = q ? qr_size_px(q, mpx) : 0;
        uint8_t *cov = px > 0 ? malloc((size_t)px * (size_t)px) : NULL;
        uint8_t *rgb = px > 0 ? malloc((size_t)px * (size_t)px * 3) : NULL;
        if (cov && rgb && qr_render(q, mpx, cov, px) == 0) {
            for (size_t i = 0; i < (size_t)px * (size_t)px; i++) {
                memset(rgb + 3 * i, 255 - cov[i], 3);
            }
            display_image_set(u->display, UI_SLOT_QR, rgb, px, px, (ptrdiff_t)px * 3);
            snprintf(u->qr_text, sizeof u->qr_text, "%s", text);
        } else if (!q) {
            log_msg(LOG_WARN, "kiosk: no QR code: %s", err);
        }
        free(cov);
        free(rgb);
        qr_free(q);
    }
    if (strcmp(u->qr_text, text) == 0) {
        display_image(u->display, UI_SLOT_QR, r);
    }
}

void ui_qr(ui_t *u, const char *url, display_rect_t r)
{
    qr_show(u, url, true, r);
}

void ui_qr_text(ui_t *u, const char *text, display_rect_t r)
{
    qr_show(u, text, false, r);
}

static void language_buttons(ui_t *u, float y)
{
    static const struct {
        int id;
        const char *code, *label;
    } langs[] = {{ID_LANG_EN, "en", "English"},
                 {ID_LANG_DE, "de", "Deutsch"},
                 {ID_LANG_NL, "nl", "Nederlands"}};
    float bw = ui_mm(u, 32), bh = ui_mm(u, 11), gap = ui_mm(u, 4);
    float x = ((float)u->w - 3 * bw - 2 * gap) / 2;
    for (size_t i = 0; i < 3; i++) {
        ui_button(u, langs[i].id, (display_rect_t){x + (float)i * (bw + gap), y, bw, bh},
                  langs[i].label, strcmp(u->lang, langs[i].code) == 0);
    }
}

/* One post's lines: title, author and date, summary, and how it was appreciated. */
typedef struct post_lines {
    char by[512], counts[256];
} post_lines_t;

static void post_lines(ui_t *u, const feed_post_t *p, post_lines_t *l)
{
    char date[32];
    date_text(p->date, date, sizeof date);
    snprintf(l->by, sizeof l->by, "%s %s%s%s", ui_text(u, "by"), p->author[0] ? p->author : "?",
             date[0] ? " \xc2\xb7 " : "", date);
    snprintf(l->counts, sizeof l->counts,
             "\xe2\x99\xa5 %lld   \xe2\x86\x97 %lld   \xe2\x9c\x89 %lld   \xe2\x98\x95 %lld   "
             "\xe2\x9c\x8d %lld",
             (long long)u->counts[LEDGER_LIKE], (long long)u->counts[LEDGER_SHARE],
             (long long)u->counts[LEDGER_MESSAGE], (long long)u->counts[LEDGER_CALL],
             (long long)u->counts[LEDGER_LETTER]);
}

/* Draws the lines from y (or only measures them when draw is false); returns their height. */
static float post_text(ui_t *u, const feed_post_t *p, const post_lines_t *l, float x, float y,
                       float w, bool counts, bool draw)
{
    struct {
        const char *text;
        float size, gap;
        bool bold;
        uint32_t ink;
    } rows[4] = {{p->title, 7, 0, true, UI_INK},
                 {l->by, 4, 2, false, UI_MUTED},
                 {p->summary, 4.6f, 4, false, UI_INK},
                 {l->counts, 4.4f, 4, false, UI_ACCENT}};
    float h = 0;
    for (int i = 0; i < (counts ? 4 : 3); i++) {
        float tw, th;
        h += ui_mm(u, rows[i].gap);
        if (draw) {
            th = display_text(u->display, rows[i].text, x, y + h, ui_mm(u, rows[i].size),
                              rows[i].bold, rows[i].ink, DISPLAY_LEFT, w);
        } else {
            display_text_size(u->display, rows[i].text, ui_mm(u, rows[i].size), rows[i].bold, w,
                              &tw, &th);
        }
        h += th;
    }
    return h;
}

/* The post as a card no taller than its text (and r): centred in r for the attract screen,
 * at its top beside the ladder. */
static void post_card(ui_t *u, const feed_post_t *p, display_rect_t r, bool counts)
{
    post_lines_t l;
    post_lines(u, p, &l);
    float pad = ui_mm(u, 6), w = r.w - 2 * pad;
    float h = fminf(post_text(u, p, &l, 0, 0, w, counts, false) + 2 * pad, r.h);
    display_rect_t card = {r.x, counts ? r.y + (r.h - h) / 2 : r.y, r.w, h};
    display_fill(u->display, card, UI_CARD, 255, ui_mm(u, 3));
    post_text(u, p, &l, card.x + pad, card.y + pad, w, counts, true);
}

void screen_attract_draw(ui_t *u)
{
    size_t n = u->feed ? feed_count(u->feed) : 0;
    float w = (float)u->w, m = ui_mm(u, 10);
    display_text(u->display, ui_text(u, "A like is nice. A letter is better."), m, m, ui_mm(u, 8),
                 true, UI_INK, DISPLAY_CENTER, w - 2 * m);
    if (n == 0) {
        display_text(u->display, ui_text(u, "There are no posts to show right now."), m,
                     (float)u->h / 2, ui_mm(u, 5), false, UI_MUTED, DISPLAY_CENTER, w - 2 * m);
        return;
    }
    size_t shown = (u->now / CYCLE_MS) % n;
    if (shown != u->post % n) {
        u->post = shown;
        counts_refresh(u);
    }
    float top = m + ui_mm(u, 16), bottom = (float)u->h - ui_mm(u, 40);
    post_card(u, ui_post(u), (display_rect_t){m, top, w - 2 * m, bottom - top}, true);
    /* "Touch to begin" breathes, so the screen looks alive from across the lobby. */
    float pulse = 0.5f + 0.5f * sinf((float)u->now / 600.0f);
    uint32_t c = pulse > 0.5f ? UI_ACCENT : 0xC8785Au;
    display_text(u->display, ui_text(u, "Touch to begin"), m, bottom + ui_mm(u, 4), ui_mm(u, 6),
                 true, c, DISPLAY_CENTER, w - 2 * m);
    language_buttons(u, (float)u->h - ui_mm(u, 16));
}

/* The ladder: five rungs, the letter at the top, each with what it does and its count. */
static void ladder(ui_t *u, display_rect_t r)
{
    float gap = ui_mm(u, 3), rh = (r.h - 4 * gap) / 5;
    for (int i = 0; i < LEDGER_RUNGS; i++) {
        display_rect_t b = {r.x, r.y + (float)i * (rh + gap), r.w, rh};
        bool done = rungs[i].rung == LEDGER_LIKE && u->liked;
        ui_button(u, rungs[i].id, b, NULL, rungs[i].rung == LEDGER_LETTER);
        uint32_t ink = rungs[i].rung == LEDGER_LETTER ? 0xFFFFFFu : UI_INK;
        float pad = ui_mm(u, 4);
        char name[128];
        snprintf(name, sizeof name, "%s%s", ui_text(u, rungs[i].name),
                 done ? "  \xe2\x9c\x93" : "");
        display_text(u->display, name, b.x + pad, b.y + pad * 0.6f, ui_mm(u, 5.5f), true, ink,
                     DISPLAY_LEFT, 0);
        /* What the rung does, in the button's lower half: smaller on a small screen (800x480)
         * when its lines would run past the button's edge. */
        const char *what = ui_text(u, rungs[i].what);
        float ty = b.y + rh / 2 + pad * 0.2f, tw = b.w - ui_mm(u, 24), size = ui_mm(u, 3.6f);
        for (float tw_, th; size > ui_mm(u, 2.6f); size -= ui_mm(u, 0.2f)) {
            display_text_size(u->display, what, size, false, tw, &tw_, &th);
            if (ty + th <= b.y + rh - 1) {
                break;
            }
        }
        display_text(u->display, what, b.x + pad, ty, size, false, ink, DISPLAY_LEFT, tw);
        char count[32];
        snprintf(count, sizeof count, "%lld", (long long)u->counts[rungs[i].rung]);
        display_text(u->display, count, b.x + b.w - pad, b.y + (rh - ui_mm(u, 6)) / 2, ui_mm(u, 6),
                     true, ink, DISPLAY_RIGHT, 0);
    }
}

void screen_post_draw(ui_t *u)
{
    const feed_post_t *p = ui_post(u);
    float m = ui_mm(u, 6), bh = ui_mm(u, 12), w = (float)u->w, h = (float)u->h;
    ui_button(u, ID_BACK, (display_rect_t){m, m, ui_mm(u, 36), bh}, ui_text(u, "All posts"), false);
    ui_button(u, ID_PREV, (display_rect_t){w - m - ui_mm(u, 56), m, ui_mm(u, 26), bh},
              "\xe2\x97\x80", false);
    ui_button(u, ID_NEXT, (display_rect_t){w - m - ui_mm(u, 26), m, ui_mm(u, 26), bh},
              "\xe2\x96\xb6", false);
    if (!p) {
        return;
    }
    float top = m + bh + m;
    bool wide = w >= h;
    display_rect_t card = wide ? (display_rect_t){m, top, w * 0.5f - 1.5f * m, h - top - m}
                               : (display_rect_t){m, top, w - 2 * m, (h - top) * 0.38f};
    display_rect_t lad =
        wide ? (display_rect_t){w * 0.5f + 0.5f * m, top, w * 0.5f - 1.5f * m, h - top - m}
             : (display_rect_t){m, top + card.h + m, w - 2 * m, h - top - card.h - 2 * m};
    post_card(u, p, card, false);
    ladder(u, lad);
    if (u->screen == SCREEN_LIKED) {
        /* The thank-you for a like: a moment, then the ladder again. */
        float t = (float)(u->now - u->screen_since) / 1200.0f;
        float size = ui_mm(u, 20 + 14 * fminf(t, 1));
        display_fill(u->display, (display_rect_t){0, 0, w, h}, UI_BG,
                     (uint8_t)(200 * (1 - t * 0.5f)), 0);
        display_text(u->display, "\xe2\x99\xa5", w / 2, h / 2 - size, size, true, UI_ACCENT,
                     DISPLAY_CENTER, 0);
        display_text(u->display, ui_text(u, "Thank you! The author will see your like."), m,
                     h / 2 + ui_mm(u, 8), ui_mm(u, 6), true, UI_INK, DISPLAY_CENTER, w - 2 * m);
        if (t >= 1.6f) {
            ui_screen_set(u, SCREEN_POST);
        }
    }
}

void screen_share_draw(ui_t *u)
{
    const feed_post_t *p = ui_post(u);
    float m = ui_mm(u, 8), w = (float)u->w, h = (float)u->h;
    display_text(u->display, ui_text(u, "Scan to open the post on your phone"), m, m, ui_mm(u, 7),
                 true, UI_INK, DISPLAY_CENTER, w - 2 * m);
    display_text(u->display,
                 ui_text(u, "Share it from there: the link leads to the original post and its "
                            "author."),
                 m, m + ui_mm(u, 12), ui_mm(u, 4.5f), false, UI_MUTED, DISPLAY_CENTER, w - 2 * m);
    float side = fminf(w - 2 * m, h - ui_mm(u, 70));
    if (p) {
        ui_qr(u, p->link, (display_rect_t){(w - side) / 2, m + ui_mm(u, 28), side, side});
    }
    ui_button(
        u, ID_DONE,
        (display_rect_t){(w - ui_mm(u, 50)) / 2, h - m - ui_mm(u, 14), ui_mm(u, 50), ui_mm(u, 14)},
        ui_text(u, "Done"), true);
}

void screen_printing_draw(ui_t *u)
{
    ui_print_status_t st;
    pthread_mutex_lock(&u->lock);
    st = u->print;
    pthread_mutex_unlock(&u->lock);
    const feed_post_t *p = ui_post(u);
    float m = ui_mm(u, 8), w = (float)u->w, h = (float)u->h;
    bool mine = st.job_id == u->job_id;
    bool printed = mine && st.state == QUEUE_COMPLETED;
    if (printed && u->screen == SCREEN_PRINTING) {
        ui_screen_set(u, SCREEN_DONE);
    }
    const char *title = printed ? ui_text(u, "Your card is printed. Thank you!")
                                : ui_text(u, "Your card is being printed\xe2\x80\xa6");
    display_text(u->display, title, m, m, ui_mm(u, 7), true, UI_INK, DISPLAY_CENTER, w - 2 * m);
    if (mine && st.message[0]) {
        display_fill(u->display, (display_rect_t){m, m + ui_mm(u, 14), w - 2 * m, ui_mm(u, 20)},
                     st.needs_person ? 0xFDECC8u : UI_CARD, 255, ui_mm(u, 3));
        display_text(u->display, st.message, m + ui_mm(u, 4), m + ui_mm(u, 18), ui_mm(u, 4.6f),
                     false, UI_INK, DISPLAY_CENTER, w - 2 * m - ui_mm(u, 8));
    }
    if (printed && p) {
        float side = fminf(w, h) * 0.45f;
        display_text(u->display, ui_text(u, "Scan to see the post"), m,
                     h / 2 - side / 2 - ui_mm(u, 10), ui_mm(u, 5), false, UI_MUTED, DISPLAY_CENTER,
                     w - 2 * m);
        ui_qr(u, p->link, (display_rect_t){(w - side) / 2, h / 2 - side / 2, side, side});
    }
    ui_button(
        u, ID_DONE,
        (display_rect_t){(w - ui_mm(u, 50)) / 2, h - m - ui_mm(u, 14), ui_mm(u, 50), ui_mm(u, 14)},
        ui_text(u, "Done"), printed);
}

void screen_still_there_draw(ui_t *u)
{
    float m = ui_mm(u, 10), w = (float)u->w, h = (float)u->h;
    uint32_t left_ms = (uint32_t)(u->cfg.idle_timeout + u->cfg.still_there_seconds) * 1000u -
                       (u->now - u->last_input + u->idle_debt);
    char line[128];
    snprintf(line, sizeof line, ui_text(u, "Touch the screen to continue. Starting over in %u s."),
             (left_ms + 999) / 1000);
    display_text(u->display, ui_text(u, "Still there?"), m, h / 3, ui_mm(u, 10), true, UI_INK,
                 DISPLAY_CENTER, w - 2 * m);
    display_text(u->display, line, m, h / 3 + ui_mm(u, 18), ui_mm(u, 5), false, UI_MUTED,
                 DISPLAY_CENTER, w - 2 * m);
}

static void post_step(ui_t *u, int step)
{
    size_t n = u->feed ? feed_count(u->feed) : 0;
    if (n) {
        u->post = (u->post + n + (size_t)step) % n;
        u->liked = false;
        counts_refresh(u);
    }
}

void screen_post_act(ui_t *u, int id)
{
    switch (id) {
    case ID_LANG_EN:
        language_set(u, "en");
        return;
    case ID_LANG_DE:
        language_set(u, "de");
        return;
    case ID_LANG_NL:
        language_set(u, "nl");
        return;
    case ID_BACK:
        /* Leaving for the attract screen ends the visit: the next person starts afresh (the
         * idle wipe never runs on the attract screen). */
        ui_session_end(u);
        return;
    case ID_PREV:
        post_step(u, -1);
        return;
    case ID_NEXT:
        post_step(u, 1);
        return;
    case ID_DONE:
        if (u->screen == SCREEN_DONE) {
            /* The card is printed: its words are not kept for another one. */
            textedit_clear(u->note);
            u->preview_dirty = true;
        }
        ui_screen_set(u, SCREEN_POST);
        return;
    case ID_RUNG_LIKE:
        if (!u->liked && ui_record(u, LEDGER_LIKE, NULL) >= 0) {
            u->liked = true;
            ui_screen_set(u, SCREEN_LIKED);
        }
        return;
    case ID_RUNG_SHARE:
        ui_record(u, LEDGER_SHARE, NULL);
        ui_screen_set(u, SCREEN_SHARE);
        return;
    case ID_RUNG_LETTER:
        ui_screen_set(u, SCREEN_LETTER);
        return;
    case ID_RUNG_MESSAGE:
        u->handed = false;
        textedit_clear(u->message);
        keyboard_multiline_set(u->kb, true);
        keyboard_shift_set(u->kb, KEYBOARD_SHIFT_ONCE);
        ui_screen_set(u, SCREEN_MESSAGE);
        return;
    case ID_RUNG_CALL:
        u->handed = false;
        ui_screen_set(u, SCREEN_CALL);
        return;
    default:
        break;
    }
    if (u->screen == SCREEN_ATTRACT && ui_post(u)) {
        counts_refresh(u);
        ui_screen_set(u, SCREEN_POST);
    }
}
