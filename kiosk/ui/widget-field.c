/* widget-field.c - a text field's words on screen: wrapped into lines with the UI font's own
 * measurements (textedit_wrap()), scrolled so the caret's line shows, the caret drawn as a bar
 * (so the text does not move as it blinks), and a tap in the text placing the cursor at the
 * nearest character boundary (textedit_cursor_tap()) on the same lines as were drawn. */
#include "ui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_LINES (TEXTEDIT_NOTE_CHARS + 1) /* one character a line, at worst */

typedef struct field_measure {
    display_t *d;
    float size;
} field_measure_t;

static double measure(void *ctx, const char *text, size_t len)
{
    const field_measure_t *m = ctx;
    return display_text_width(m->d, text, len, m->size, false);
}

/* The field's lines (into lines, cap FIELD_LINES), how many, and how many fit in its area. */
static size_t field_layout(ui_t *u, const ui_field_t *f, textedit_line_t *lines, size_t *visible,
                           float *line_h)
{
    field_measure_t m = {u->display, f->size};
    size_t n = textedit_wrap(f->te, f->area.w, measure, &m, lines, FIELD_LINES);
    *line_h = display_line_height(u->display, f->size, false);
    float fit = floorf(f->area.h / *line_h);
    *visible = fit < 1 ? 1 : (size_t)fit;
    return n < FIELD_LINES ? n : FIELD_LINES;
}

static void line_draw(ui_t *u, const char *text, const textedit_line_t *l, float x, float y,
                      float size)
{
    char buf[1024];
    size_t len = l->len < sizeof buf ? l->len : sizeof buf - 1;
    memcpy(buf, text + l->start, len);
    buf[len] = '\0';
    display_text(u->display, buf, x, y, size, false, UI_INK, DISPLAY_LEFT, 0);
}

void ui_field_draw(ui_t *u, int id, textedit_t *te, display_rect_t area, float size_px,
                   bool focused, const char *hint)
{
    static textedit_line_t lines[FIELD_LINES]; /* the UI thread's alone */
    ui_field_t f = {id, te, area, size_px, 0};
    size_t visible, len;
    float lh;
    size_t n = field_layout(u, &f, lines, &visible, &lh);
    size_t caret = textedit_cursor_line(te, lines, n);
    f.first = caret >= visible ? caret - visible + 1 : 0;
    const char *text = textedit_text(te, &len);
    if (len == 0 && hint) {
        display_text(u->display, hint, area.x, area.y, size_px, false, UI_MUTED, DISPLAY_LEFT,
                     area.w);
    }
    for (size_t i = f.first; len && i < n && i < f.first + visible; i++) {
        line_draw(u, text, &lines[i], area.x, area.y + (float)(i - f.first) * lh, size_px);
    }
    if (focused && (u->now / 530) % 2 == 0) {
        const textedit_line_t *l = &lines[caret];
        float x = display_text_width(u->display, text + l->start, textedit_cursor(te) - l->start,
                                     size_px, false);
        float bar = fmaxf(2.0f, ui_mm(u, 0.4f));
        display_fill(
            u->display,
            (display_rect_t){area.x + x - bar / 2, area.y + (float)(caret - f.first) * lh, bar, lh},
            UI_INK, 255, 0);
    }
    if (u->nfields < UI_FIELDS) {
        u->fields[u->nfields++] = f;
    }
}

bool ui_field_tap(ui_t *u, int id, float x, float y)
{
    static textedit_line_t lines[FIELD_LINES];
    const ui_field_t *f = NULL;
    for (int i = 0; i < u->nfields; i++) {
        f = u->fields[i].id == id ? &u->fields[i] : f;
    }
    if (!f) {
        return false;
    }
    size_t visible, len;
    float lh;
    size_t n = field_layout(u, f, lines, &visible, &lh);
    size_t shown = n - f->first < visible ? n - f->first : visible;
    textedit_text(f->te, &len);
    /* At most a box per byte of the text, plus one per line break. */
    size_t cap = len + shown + 1;
    textedit_box_t *boxes = malloc(cap * sizeof *boxes);
    if (!boxes) {
        return true;
    }
    field_measure_t m = {u->display, f->size};
    size_t nb = textedit_boxes(f->te, lines, f->first, shown, f->area.x, f->area.y, lh, measure, &m,
                               boxes, cap);
    if (nb == 0) {
        textedit_cursor_set(f->te, 0);
    } else {
        textedit_cursor_tap(f->te, boxes, nb, x, y);
    }
    free(boxes);
    return true;
}
