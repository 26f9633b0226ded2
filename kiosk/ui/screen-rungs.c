/* screen-rungs.c - the middle rungs: a message to the author (typed here, recorded, and handed to
 * the visitor's phone as a prefilled e-mail) and a coffee chat (a slot picked here, recorded,
 * and handed over as a calendar invitation). */
#include "ui.h"

#include "likeletter/handoff.h"
#include "likeletter/log.h"
#include "likeletter/qr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    ID_BACK = 200,
    ID_FIELD = 201,
    ID_SEND = 202,
    ID_DONE = 203,
    ID_SLOT = 210, /* + slot index */
};

static void title(ui_t *u, const char *text, const char *sub)
{
    float m = ui_mm(u, 6), w = (float)u->w;
    ui_button(u, ID_BACK, (display_rect_t){m, m, ui_mm(u, 30), ui_mm(u, 11)}, ui_text(u, "Back"),
              false);
    display_text(u->display, text, m + ui_mm(u, 36), m, ui_mm(u, 6.5f), true, UI_INK, DISPLAY_LEFT,
                 w - 2 * m - ui_mm(u, 36));
    if (sub) {
        display_text(u->display, sub, m + ui_mm(u, 36), m + ui_mm(u, 10), ui_mm(u, 4), false,
                     UI_MUTED, DISPLAY_LEFT, w - 2 * m - ui_mm(u, 36));
    }
}

/* The QR that hands the result over, with what to do with it. */
static void handed_over(ui_t *u, const char *payload, const char *caption, float top)
{
    float m = ui_mm(u, 8), w = (float)u->w, h = (float)u->h;
    float side = fminf(w - 2 * m, h - top - ui_mm(u, 40));
    display_text(u->display, caption, m, top, ui_mm(u, 5), false, UI_INK, DISPLAY_CENTER,
                 w - 2 * m);
    if (payload && payload[0]) {
        ui_qr_text(u, payload, (display_rect_t){(w - side) / 2, top + ui_mm(u, 12), side, side});
    }
    ui_button(
        u, ID_DONE,
        (display_rect_t){(w - ui_mm(u, 50)) / 2, h - m - ui_mm(u, 14), ui_mm(u, 50), ui_mm(u, 14)},
        ui_text(u, "Done"), true);
}

/* ---- message ---- */

static const char *subject_for(ui_t *u, const feed_post_t *p, char *buf, size_t len)
{
    snprintf(buf, len, "%s: %.200s", ui_text(u, "About your post"), p->title);
    for (char *c = buf; *c; c++) {
        if (*c == '\n' || *c == '\r' || *c == '\t') {
            *c = ' ';
        }
    }
    return buf;
}

/* The e-mail the visitor's phone opens: to the author, the message and the post's link. */
static void message_handoff(ui_t *u, const feed_post_t *p)
{
    size_t len;
    const char *text = textedit_text(u->message, &len);
    char body[2400], subject[300];
    u->handoff[0] = '\0';
    if (!p->email[0] ||
        handoff_message_body(text, p->title, p->link, u->lang, body, sizeof body) != 0 ||
        handoff_mailto(p->email, subject_for(u, p, subject, sizeof subject), body, u->handoff,
                       sizeof u->handoff) != 0) {
        u->handoff[0] = '\0'; /* recorded for the author all the same */
    }
}

void screen_message_draw(ui_t *u)
{
    const feed_post_t *p = ui_post(u);
    float m = ui_mm(u, 6), w = (float)u->w, h = (float)u->h;
    if (u->handed) {
        title(u, ui_text(u, "Your message is saved for the author."), NULL);
        handed_over(u, u->handoff,
                    u->handoff[0] ? ui_text(u, "Scan to send it from your phone as an e-mail.")
                                  : ui_text(u, "The author has no e-mail address here; they "
                                               "will see your message with the post."),
                    m + ui_mm(u, 20));
        return;
    }
    title(u, ui_text(u, "A message to the author"), p ? p->title : NULL);
    float kh = fminf(ui_mm(u, 4 * 12.5f), h * 0.42f);
    u->edit = u->message;
    ui_keyboard_draw(u, (display_rect_t){0, h - kh, w, kh});
    display_rect_t box = {m, m + ui_mm(u, 22), w - 2 * m, h - kh - ui_mm(u, 50)};
    display_fill(u->display, box, UI_CARD, 255, ui_mm(u, 2));
    display_frame(u->display, box, UI_ACCENT, 2, 0);
    if (u->ntargets < UI_TARGETS) {
        u->targets[u->ntargets++] = (ui_target_t){box, ID_FIELD};
    }
    size_t len;
    char count[64];
    textedit_text(u->message, &len);
    float pad = ui_mm(u, 3);
    ui_field_draw(u, ID_FIELD, u->message,
                  (display_rect_t){box.x + pad, box.y + pad, box.w - 2 * pad, box.h - 2 * pad},
                  ui_mm(u, 4.6f), true, ui_text(u, "A few kind words\xe2\x80\xa6"));
    snprintf(count, sizeof count, "%zu / %d", textedit_chars(u->message), TEXTEDIT_MESSAGE_CHARS);
    float y = box.y + box.h + ui_mm(u, 3);
    display_text(u->display, count, m, y, ui_mm(u, 3.6f), false, UI_MUTED, DISPLAY_LEFT, 0);
    ui_button(u, len ? ID_SEND : -1,
              (display_rect_t){w - m - ui_mm(u, 60), y, ui_mm(u, 60), ui_mm(u, 13)},
              ui_text(u, "Send"), len > 0);
}

/* ---- coffee chat ---- */

static void slot_text(time_t t, char *out, size_t len)
{
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, len, "%Y-%m-%dT%H:%M", &tm);
}

/* The invitation for slot i: to the author when the post names an e-mail. */
static void call_handoff(ui_t *u, const feed_post_t *p, time_t start)
{
    char uid[64], summary[300], desc[400];
    snprintf(uid, sizeof uid, "%.32s-%lld@likeletter", u->session, (long long)start);
    snprintf(summary, sizeof summary, "%s %.200s", ui_text(u, "Coffee chat with"),
             p->author[0] ? p->author : ui_text(u, "the author"));
    snprintf(desc, sizeof desc, "%s: %.300s", ui_text(u, "About your post"), p->title);
    handoff_event_t ev = {.uid = uid,
                          .stamp = time(NULL),
                          .start = start,
                          .duration_min = 30,
                          .summary = summary,
                          .description = desc,
                          .url = p->link,
                          .author_name = p->author,
                          .author_email = p->email};
    if (handoff_event(&ev, u->handoff, sizeof u->handoff) != 0) {
        u->handoff[0] = '\0';
    }
}

void screen_call_draw(ui_t *u)
{
    const feed_post_t *p = ui_post(u);
    float m = ui_mm(u, 6), w = (float)u->w;
    if (u->handed) {
        title(u, ui_text(u, "Your coffee chat is noted."), NULL);
        handed_over(u, u->handoff,
                    ui_text(u, "Scan to put the invitation in your phone's calendar."),
                    m + ui_mm(u, 20));
        return;
    }
    title(u, ui_text(u, "Pick a time for a coffee"), p ? p->title : NULL);
    u->nslots = handoff_call_slots(time(NULL), u->lang, u->slots, HANDOFF_SLOTS_MAX);
    float bw = (w - 2 * m - ui_mm(u, 8)) / 3, bh = ui_mm(u, 16);
    for (size_t i = 0; i < u->nslots; i++) {
        float x = m + (float)(i % 3) * (bw + ui_mm(u, 4));
        float y = m + ui_mm(u, 26) + (float)(i / 3) * (bh + ui_mm(u, 4));
        ui_button(u, ID_SLOT + (int)i, (display_rect_t){x, y, bw, bh}, u->slots[i].label, false);
    }
}

void screen_rung_act(ui_t *u, int id)
{
    const feed_post_t *p = ui_post(u);
    if (id == ID_BACK || id == ID_DONE || !p) {
        u->edit = NULL;
        u->handed = false;
        ui_screen_set(u, SCREEN_POST);
    } else if (id == ID_FIELD && u->screen == SCREEN_MESSAGE) {
        ui_field_tap(u, ID_FIELD, u->down_x, u->down_y);
    } else if (id == ID_SEND && u->screen == SCREEN_MESSAGE) {
        size_t len;
        const char *text = textedit_text(u->message, &len);
        if (ui_record(u, LEDGER_MESSAGE, text) == 0) {
            message_handoff(u, p);
            u->handed = true;
            u->edit = NULL;
        }
    } else if (id >= ID_SLOT && id < ID_SLOT + (int)u->nslots && u->screen == SCREEN_CALL) {
        char slot[32];
        slot_text(u->slots[id - ID_SLOT].start, slot, sizeof slot);
        if (ui_record(u, LEDGER_CALL, slot) == 0) {
            call_handoff(u, p, u->slots[id - ID_SLOT].start);
            u->handed = true;
        }
    }
}
