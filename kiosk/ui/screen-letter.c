/* screen-letter.c - the top rung: the visitor writes a note, picks handwriting, ink and signs,
 * sees the exact card as it will print (the same renderer at screen resolution), and prints it
 * through the durable queue. */
#include "ui.h"

#include "likeletter/image.h"
#include "likeletter/log.h"
#include "likeletter/queue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    ID_BACK = 100,
    ID_FONT_0,
    ID_FONT_1,
    ID_FONT_2,
    ID_INK_0,
    ID_INK_1,
    ID_INK_2,
    ID_FIELD_NOTE,
    ID_FIELD_NAME,
    ID_PRINT,
    ID_CARD_0,
    ID_CARD_LAST = ID_CARD_0 + CONFIG_CARDS - 1,
    ID_GREETING,
};

/* German greets a woman (or several people) with "Liebe", a man with "Lieber", anyone with
 * "Hallo"; the feed does not say which the author is, so the visitor picks. English "Dear" and
 * Dutch "Beste" suit everyone. */
static const char *const greetings_de[] = {"Liebe", "Lieber", "Hallo"};
#define GREETINGS_DE (int)(sizeof greetings_de / sizeof greetings_de[0])

static bool greeting_offered(const ui_t *u)
{
    return u->lang[0] == 'd';
}

static card_renderer_t *renderer(ui_t *u)
{
    int f = u->font >= 0 && u->font < CONFIG_FONTS ? u->font : 0;
    if (!u->renderers[f]) {
        char err[256];
        card_fonts_t fonts = {u->cfg.fonts[f], u->cfg.fallback_font};
        u->renderers[f] = card_renderer_create(&fonts, err, sizeof err);
        if (!u->renderers[f]) {
            log_msg(LOG_ERROR, "kiosk: %s", err);
        }
    }
    return u->renderers[f];
}

static void today(char *out, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    strftime(out, len, "%Y-%m-%d", localtime_r(&t, &tm));
}

/* The card as it stands: the post, the visitor's words, their choices. */
static void card_describe(ui_t *u, card_spec_t *spec, card_content_t *content, char *date,
                          size_t datelen, int32_t dpi)
{
    const feed_post_t *p = ui_post(u);
    today(date, datelen);
    *spec = (card_spec_t){.format = u->card,
                          .dpi = dpi,
                          .seed = 0,
                          .ink = u->cfg.inks[u->ink],
                          .em_mm = CARD_EM_MM,
                          .min_em_mm = CARD_MIN_EM_MM};
    /* The seed comes from the session, so the preview and the print are the same card. */
    for (const char *c = u->session; *c; c++) {
        spec->seed = spec->seed * 131 + (uint64_t)(unsigned char)*c;
    }
    size_t note_len, from_len;
    const char *note = textedit_text(u->note, &note_len);
    const char *from = textedit_text(u->from, &from_len);
    *content = (card_content_t){.post_url = p->link,
                                .post_title = p->title,
                                .to = p->author[0] ? p->author : ui_text(u, "friend"),
                                .from = from_len ? from : ui_text(u, "Your name"),
                                .note = note,
                                .note_len = note_len,
                                .date = date,
                                .lang = u->lang[0] == 'd'   ? CARD_LANG_DE
                                        : u->lang[0] == 'n' ? CARD_LANG_NL
                                                            : CARD_LANG_EN,
                                .salutation = greeting_offered(u) && u->greeting > 0 &&
                                                      u->greeting < GREETINGS_DE
                                                  ? greetings_de[u->greeting]
                                                  : NULL};
}

/* Renders the preview; a note that cannot be printed is said in the visitor's words (the
 * renderer's English message goes to the log). */
static void preview_render(ui_t *u, const card_spec_t *spec, const card_content_t *content,
                           int32_t w, int32_t h)
{
    char err[256];
    card_renderer_t *cr = renderer(u);
    u->preview_error[0] = '\0';
    u->preview_dirty = false;
    if (!u->preview || !cr) {
        return;
    }
    double t0 = ui_clock_ms();
    int rc = card_render(cr, spec, content, u->preview, (ptrdiff_t)w * 3, err, sizeof err);
    u->preview_ms[u->previews++ % 1024] = (float)(ui_clock_ms() - t0);
    if (rc == 0) {
        display_image_set(u->display, UI_SLOT_PREVIEW, u->preview, w, h, (ptrdiff_t)w * 3);
        return;
    }
    log_msg(LOG_INFO, "kiosk: preview: %s", err);
    snprintf(u->preview_error, sizeof u->preview_error, "%s",
             strstr(err, " fit") ? ui_text(u, "Your note no longer fits on the card. Please "
                                              "shorten it a little.")
                                 : ui_text(u, "This text cannot go on the card. Please change "
                                              "it."));
}

/* The preview at the resolution that fits r: re-rendered only after a change. */
static void preview(ui_t *u, display_rect_t r)
{
    double wmm, hmm;
    card_format_mm(u->card, &wmm, &hmm);
    int32_t dpi = (int32_t)floor(fmin(r.w / (wmm / 25.4), r.h / (hmm / 25.4)));
    dpi = dpi < CARD_DPI_MIN ? CARD_DPI_MIN : dpi > 300 ? 300 : dpi;
    card_spec_t spec;
    card_content_t content;
    char date[16];
    card_describe(u, &spec, &content, date, sizeof date, dpi);
    int32_t w = 0, h = 0;
    card_size_px(&spec, &w, &h);
    float scale = fminf(r.w / (float)w, r.h / (float)h);
    display_rect_t at = {r.x + (r.w - (float)w * scale) / 2, r.y, (float)w * scale,
                         (float)h * scale};
    if (textedit_chars(u->note) == 0) {
        /* Nothing to show yet: the blank card and where the words will go. */
        u->preview_error[0] = '\0';
        display_fill(u->display, at, CARD_PAPER, 255, 0);
        display_text(u->display, ui_text(u, "Your card appears here as you write."),
                     at.x + ui_mm(u, 6), at.y + at.h / 3, ui_mm(u, 4.5f), false, UI_MUTED,
                     DISPLAY_CENTER, at.w - ui_mm(u, 12));
        return;
    }
    if (u->preview_dirty || w != u->preview_w || h != u->preview_h) {
        if (w != u->preview_w || h != u->preview_h) {
            free(u->preview);
            u->preview = malloc((size_t)w * (size_t)h * 3);
            u->preview_w = w, u->preview_h = h;
        }
        preview_render(u, &spec, &content, w, h);
    }
    display_fill(u->display, (display_rect_t){at.x + 4, at.y + 4, at.w, at.h}, 0x000000u, 40, 0);
    display_image(u->display, UI_SLOT_PREVIEW, at);
}

/* A card size's button label. */
static const char *card_label(const ui_t *u, card_format_t f)
{
    switch (f) {
    case CARD_A5:
        return ui_text(u, "A5, folded");
    case CARD_4X6:
        return "4\xc3\x97"
               "6 in";
    case CARD_5X7:
        return "5\xc3\x97"
               "7 in";
    default:
        return "A6";
    }
}

/* The card sizes offered this frame (ui_cards(), asked once per frame). */
typedef struct offer {
    card_format_t cards[CONFIG_CARDS];
    int n;
} offer_t;

/* The choices' height: rows for handwriting, ink, and the card size when the printer takes
 * more than one. */
static float choices_height(const ui_t *u, const offer_t *o)
{
    int rows = 2 + (o->n > 1);
    return (float)rows * ui_mm(u, 11) + (float)(rows - 1) * ui_mm(u, 2);
}

/* Handwriting, ink, and (when the printer takes more than one) the card size: rows of buttons.
 * Returns the height used. */
static float choices(ui_t *u, const offer_t *o, float x, float y, float w)
{
    static const char *const fonts[CONFIG_FONTS] = {N_("Flowing"), N_("Bold"), N_("Light")};
    static const char *const inks[CONFIG_INKS] = {N_("Blue-black"), N_("Black"), N_("Blue")};
    float bh = ui_mm(u, 11), gap = ui_mm(u, 2), bw = (w - 2 * gap) / 3, y0 = y;
    for (int i = 0; i < CONFIG_FONTS; i++) {
        ui_button(u, ID_FONT_0 + i, (display_rect_t){x + (float)i * (bw + gap), y, bw, bh},
                  ui_text(u, fonts[i]), u->font == i);
    }
    y += bh + gap;
    for (int i = 0; i < CONFIG_INKS; i++) {
        ui_button(u, ID_INK_0 + i, (display_rect_t){x + (float)i * (bw + gap), y, bw, bh},
                  ui_text(u, inks[i]), u->ink == i);
    }
    y += bh + gap;
    const card_format_t *cards = o->cards;
    int n = o->n;
    if (n > 1) {
        float cw = (w - (float)(n - 1) * gap) / (float)n;
        for (int i = 0; i < n; i++) {
            ui_button(u, ID_CARD_0 + i, (display_rect_t){x + (float)i * (cw + gap), y, cw, bh},
                      card_label(u, cards[i]), u->card == cards[i]);
        }
        y += bh + gap;
    }
    return y - y0;
}

/* The visitor's card size stays one the printer takes (paper can change while they write). */
static void card_keep_offered(ui_t *u, const offer_t *o)
{
    for (int i = 0; i < o->n; i++) {
        if (o->cards[i] == u->card) {
            return;
        }
    }
    u->card = o->cards[0];
    u->preview_dirty = true;
}

/* A text field: its label, its text (or a hint), a caret when it has the focus. */
static float field(ui_t *u, int id, textedit_t *te, const char *label, const char *hint,
                   display_rect_t r)
{
    bool focused = u->edit == te;
    display_text(u->display, label, r.x, r.y, ui_mm(u, 3.6f), true, UI_MUTED, DISPLAY_LEFT, 0);
    display_rect_t box = {r.x, r.y + ui_mm(u, 5), r.w, r.h - ui_mm(u, 5)};
    if (u->ntargets < UI_TARGETS) {
        u->targets[u->ntargets++] = (ui_target_t){box, id};
    }
    display_fill(u->display, box, UI_CARD, 255, ui_mm(u, 2));
    display_frame(u->display, box, focused ? UI_ACCENT : UI_LINE, focused ? 2 : 1, 0);
    float pad = ui_mm(u, 2.5f);
    ui_field_draw(u, id, te,
                  (display_rect_t){box.x + pad, box.y + pad, box.w - 2 * pad, box.h - 2 * pad},
                  ui_mm(u, 4.4f), focused, hint);
    return r.h;
}

void screen_letter_draw(ui_t *u)
{
    float m = ui_mm(u, 5), w = (float)u->w, h = (float)u->h;
    bool wide = w >= h;
    offer_t offer;
    offer.n = ui_cards(u, offer.cards);
    card_keep_offered(u, &offer);
    ui_button(u, ID_BACK, (display_rect_t){m, m, ui_mm(u, 30), ui_mm(u, 11)}, ui_text(u, "Back"),
              false);
    if (greeting_offered(u)) {
        /* One button that steps through the greetings: "Anrede: Lieber …". */
        char label[96];
        int g = u->greeting >= 0 && u->greeting < GREETINGS_DE ? u->greeting : 0;
        snprintf(label, sizeof label, "%s: %s \xe2\x80\xa6", ui_text(u, "Greeting"),
                 greetings_de[g]);
        ui_button(u, ID_GREETING,
                  (display_rect_t){w - m - ui_mm(u, 60), m, ui_mm(u, 60), ui_mm(u, 11)}, label,
                  false);
    }
    /* The keyboard along the bottom while a field has the focus: rows of 11 mm keys. */
    float kh = u->edit ? fminf(ui_mm(u, 4 * 12.5f), h * 0.42f) : 0;
    if (u->edit) {
        ui_keyboard_draw(u, (display_rect_t){0, h - kh, w, kh});
        h -= kh;
    } else {
        u->kb_area = (display_rect_t){0, 0, 0, 0};
    }
    float top = m + ui_mm(u, 16);
    display_rect_t prev = wide ? (display_rect_t){m, top, w * 0.36f, h - top - m}
                               : (display_rect_t){m, top, w - 2 * m, (h - top) * 0.45f};
    preview(u, prev);
    float x = wide ? prev.x + prev.w + m : m, y = wide ? top : prev.y + prev.h + m;
    float cw = w - x - m, bottom = h - m;
    /* What fits: on a small screen (800x480) with the keyboard up, the choices wait until it
     * is closed, and the print button goes beside the name instead of on a row of its own. */
    float note_h = ui_mm(u, 30), name_h = ui_mm(u, 16), pw = ui_mm(u, 50), ph = ui_mm(u, 14);
    float fields_end = y + note_h + m + name_h + m, choices_h = choices_height(u, &offer);
    bool show_choices = !u->edit || fields_end + choices_h + m + ph <= bottom;
    float below = fields_end + (show_choices ? choices_h + m : 0);
    bool beside = below + ph > bottom;
    y += field(u, ID_FIELD_NOTE, u->note, ui_text(u, "Your note"),
               ui_text(u, "Write what the post meant to you\xe2\x80\xa6"),
               (display_rect_t){x, y, cw, note_h}) +
         m;
    display_rect_t print = {x + cw - pw, bottom - ph, pw, ph};
    if (beside) {
        print = (display_rect_t){x + cw - pw, y + ui_mm(u, 5), pw, name_h - ui_mm(u, 5)};
    }
    y += field(u, ID_FIELD_NAME, u->from, ui_text(u, "Signed"), ui_text(u, "Your name"),
               (display_rect_t){x, y, beside ? cw - pw - m : cw, name_h}) +
         m;
    if (show_choices) {
        y += choices(u, &offer, x, y, cw) + m - ui_mm(u, 2);
    }
    if (u->preview_error[0]) {
        display_text(u->display, u->preview_error, x, y, ui_mm(u, 3.6f), false, UI_ACCENT,
                     DISPLAY_LEFT, cw);
    }
    bool ready = textedit_chars(u->note) && textedit_chars(u->from) && !u->preview_error[0];
    ui_button(u, ready ? ID_PRINT : -1, print, ui_text(u, "Print the card"), ready);
}

/* The card at print resolution, as PNG, into the durable queue for session (NULL: none).
 * Returns 0 with the queue id in *id, QUEUE_FULL, or -1. */
static int card_queue(ui_t *u, const card_spec_t *spec, const card_content_t *content,
                      const char *session, int64_t *id)
{
    int32_t w = 0, h = 0;
    card_size_px(spec, &w, &h);
    uint8_t *rgb = malloc((size_t)w * (size_t)h * 3);
    char err[256];
    image_memory_t png = {.limit = QUEUE_DOCUMENT_MAX};
    image_sink_t sink = {.write = image_sink_memory_write, .ctx = &png, .what = "the card"};
    image_view_t img = {rgb, w, h, (ptrdiff_t)w * 3, IMAGE_RGB8, spec->dpi};
    int rc = rgb && renderer(u) &&
                     card_render(renderer(u), spec, content, rgb, (ptrdiff_t)w * 3, err,
                                 sizeof err) == 0 &&
                     image_png_write_sink(&img, &sink) == 0
                 ? 0
                 : -1;
    free(rgb);
    queue_t *q = rc == 0 ? queue_open(u->db_path) : NULL;
    if (q) {
        queue_limits_set(q, u->cfg.max_pending_per_session, u->cfg.max_pending);
        queue_card_t card = {.fonts = {u->cfg.fonts[u->font], u->cfg.fallback_font},
                             .spec = *spec,
                             .content = *content};
        rc = queue_job_add(q, &card, u->cfg.printer, session, png.data, png.len, id);
        queue_close(q);
    }
    free(png.data);
    return rc == 0 && q ? 0 : rc == QUEUE_FULL ? QUEUE_FULL : -1;
}

/* The visitor's card into the queue; then the ledger. */
static int letter_print(ui_t *u)
{
    card_spec_t spec;
    card_content_t content;
    char date[16], text[32];
    int64_t id = 0;
    card_describe(u, &spec, &content, date, sizeof date, u->cfg.dpi);
    int rc = card_queue(u, &spec, &content, u->session, &id);
    if (rc != 0) {
        return rc;
    }
    u->job_id = id;
    snprintf(text, sizeof text, "%lld", (long long)id);
    ui_record(u, LEDGER_LETTER, text);
    return 0;
}

void screen_letter_act(ui_t *u, int id)
{
    if (id >= ID_FONT_0 && id <= ID_FONT_2) {
        u->font = id - ID_FONT_0;
    } else if (id >= ID_INK_0 && id <= ID_INK_2) {
        u->ink = id - ID_INK_0;
    } else if (id == ID_GREETING) {
        u->greeting = (u->greeting + 1) % GREETINGS_DE;
    } else if (id >= ID_CARD_0 && id <= ID_CARD_LAST) {
        card_format_t cards[CONFIG_CARDS];
        int n = ui_cards(u, cards);
        if (id - ID_CARD_0 < n) {
            u->card = cards[id - ID_CARD_0];
        }
    } else if (id == ID_FIELD_NOTE || id == ID_FIELD_NAME) {
        u->edit = id == ID_FIELD_NOTE ? u->note : u->from;
        ui_field_tap(u, id, u->down_x, u->down_y); /* the cursor where the finger was */
        keyboard_multiline_set(u->kb, id == ID_FIELD_NOTE);
        if (textedit_chars(u->edit) == 0) {
            keyboard_shift_set(u->kb, KEYBOARD_SHIFT_ONCE); /* a sentence or a name starts big */
        }
        return;
    } else if (id == ID_BACK) {
        u->edit = NULL;
        ui_screen_set(u, SCREEN_POST);
        return;
    } else if (id == ID_PRINT) {
        int rc = letter_print(u);
        if (rc == 0) {
            u->edit = NULL;
            /* The card is in the queue now; the draft has done its job. */
            if (u->drafts) {
                draft_wipe(u->drafts);
            }
            ui_screen_set(u, SCREEN_PRINTING);
        } else {
            snprintf(u->preview_error, sizeof u->preview_error, "%s",
                     rc == QUEUE_FULL ? ui_text(u, "Your card is already waiting to be printed.")
                                      : ui_text(u, "The card could not be saved for printing. "
                                                   "Please ask at the reception."));
        }
        return;
    }
    u->preview_dirty = true;
}

int ui_test_print(ui_t *u)
{
    const feed_post_t *p = ui_post(u);
    static const char note[] = "This is a test card from the kiosk.";
    char date[16];
    card_spec_t spec;
    card_content_t content;
    int64_t id;
    if (!p) {
        return -1;
    }
    card_describe(u, &spec, &content, date, sizeof date, u->cfg.dpi);
    content.to = "likeletter", content.from = "likeletter";
    content.note = note, content.note_len = sizeof note - 1;
    return card_queue(u, &spec, &content, NULL, &id) == 0 ? 0 : -1;
}
