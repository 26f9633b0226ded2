/* widget-keyboard.c - the on-screen keyboard drawn with the display driver and fed with its
 * touches: keyboard.h decides what a touch types, textedit.h holds the text it goes into. */
#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static display_rect_t key_rect(const display_rect_t *area, const keyboard_rect_t *k)
{
    float gap = 2;
    return (display_rect_t){area->x + (float)k->x * area->w + gap,
                            area->y + (float)k->y * area->h + gap, (float)k->w * area->w - 2 * gap,
                            (float)k->h * area->h - 2 * gap};
}

static const char *key_label(const ui_t *u, const keyboard_key_t *k)
{
    switch (k->kind) {
    case KEYBOARD_KEY_CHAR:
        return k->text;
    case KEYBOARD_KEY_SPACE:
        return ui_text(u, "space");
    case KEYBOARD_KEY_SHIFT:
        return keyboard_shift(u->kb) == KEYBOARD_SHIFT_LOCK ? "\xe2\x87\xaa" : "\xe2\x87\xa7";
    case KEYBOARD_KEY_BACKSPACE:
        return "\xe2\x8c\xab";
    case KEYBOARD_KEY_ENTER:
        return "\xe2\x86\xb5";
    case KEYBOARD_KEY_SYMBOLS:
        return "?123";
    case KEYBOARD_KEY_LETTERS:
        return "ABC";
    case KEYBOARD_KEY_LEFT:
        return "\xe2\x97\x80";
    case KEYBOARD_KEY_RIGHT:
        return "\xe2\x96\xb6";
    case KEYBOARD_KEY_DONE:
        return ui_text(u, "Done");
    }
    return "";
}

static void popup_draw(ui_t *u, const display_rect_t *area)
{
    const keyboard_popup_t *p = keyboard_popup(u->kb);
    for (size_t i = 0; p && i < p->count; i++) {
        display_rect_t r = key_rect(area, &p->rects[i]);
        bool sel = (int)i == p->selected;
        display_fill(u->display, r, sel ? UI_ACCENT : UI_CARD, 255, ui_mm(u, 1.5f));
        display_frame(u->display, r, UI_INK, 1, 0);
        display_text(u->display, p->choices[i], r.x, r.y + r.h * 0.2f, r.h * 0.5f, false,
                     sel ? 0xFFFFFFu : UI_INK, DISPLAY_CENTER, r.w);
    }
}

static void keys_draw(ui_t *u, display_rect_t area, const keyboard_key_t *keys, size_t n,
                      int pressed)
{
    display_fill(u->display, area, 0xE9E2D4u, 255, 0);
    for (size_t i = 0; i < n; i++) {
        display_rect_t r = key_rect(&area, &keys[i].rect);
        bool special = keys[i].kind != KEYBOARD_KEY_CHAR && keys[i].kind != KEYBOARD_KEY_SPACE;
        uint32_t fill = (int)i == pressed ? 0xD8CCB6u : special ? 0xF3EEE4u : UI_CARD;
        display_fill(u->display, r, fill, 255, ui_mm(u, 1.5f));
        uint32_t ink = keys[i].enabled ? UI_INK : 0xB8B0A0u;
        float size = fminf(r.h * 0.45f, ui_mm(u, 6));
        display_text(u->display, key_label(u, &keys[i]), r.x, r.y + (r.h - size * 1.2f) / 2, size,
                     special, ink, DISPLAY_CENTER, r.w);
        if (keys[i].accents) {
            display_fill(u->display, (display_rect_t){r.x + r.w - 7, r.y + 4, 3, 3}, UI_MUTED, 255,
                         0);
        }
    }
}

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ p[i]) * 1099511628211ull;
    }
    return h;
}

/* Everything keys_draw() shows, hashed: when it is unchanged, so is the keyboard's layer. */
static uint64_t keys_look(const ui_t *u, display_rect_t area, const keyboard_key_t *keys, size_t n,
                          int pressed)
{
    uint64_t h = fnv(1469598103934665603ull, &area, sizeof area);
    h = fnv(h, &pressed, sizeof pressed);
    h = fnv(h, &u->mm, sizeof u->mm);
    for (size_t i = 0; i < n; i++) {
        const char *label = key_label(u, &keys[i]);
        int flags = (int)keys[i].kind << 2 | keys[i].enabled << 1 | (keys[i].accents != 0);
        h = fnv(h, &keys[i].rect, sizeof keys[i].rect);
        h = fnv(h, &flags, sizeof flags);
        h = fnv(h, label, strlen(label) + 1);
    }
    return h ? h : 1;
}

/* The keys change only on a press, a shift or a page: they are drawn into a layer then, and the
 * layer is shown every frame with one copy (some 600 draw commands fewer a frame). */
void ui_keyboard_draw(ui_t *u, display_rect_t area)
{
    u->kb_area = area;
    const keyboard_key_t *keys;
    size_t n, rows;
    keyboard_keys(u->kb, &keys, &n, &rows);
    int pressed = keyboard_pressed_key(u->kb);
    uint64_t look = keys_look(u, area, keys, n, pressed);
    if (look != u->kb_look) {
        if (display_layer_begin(u->display, UI_LAYER_KEYBOARD, area) != 0) {
            u->kb_look = 0;
            keys_draw(u, area, keys, n, pressed);
            popup_draw(u, &area);
            return;
        }
        keys_draw(u, area, keys, n, pressed);
        display_layer_end(u->display);
        u->kb_look = look;
    }
    display_layer(u->display, UI_LAYER_KEYBOARD);
    popup_draw(u, &area);
}

/* One action into the field being edited. */
static void action_apply(ui_t *u, const keyboard_action_t *a)
{
    if (!u->edit || a->kind == KEYBOARD_ACTION_NONE) {
        return;
    }
    for (unsigned i = 0; i < (a->count ? a->count : 1); i++) {
        switch (a->kind) {
        case KEYBOARD_ACTION_INSERT:
            textedit_insert(u->edit, a->text, strlen(a->text));
            break;
        case KEYBOARD_ACTION_BACKSPACE:
            textedit_backspace(u->edit);
            break;
        case KEYBOARD_ACTION_NEWLINE:
            textedit_insert(u->edit, "\n", 1);
            break;
        case KEYBOARD_ACTION_LEFT:
            textedit_cursor_left(u->edit);
            break;
        case KEYBOARD_ACTION_RIGHT:
            textedit_cursor_right(u->edit);
            break;
        case KEYBOARD_ACTION_DONE:
            u->edit_done = true;
            break;
        default:
            break;
        }
    }
    u->preview_dirty = true;
}

void ui_keyboard_tick(ui_t *u)
{
    keyboard_action_t a = keyboard_tick(u->kb, u->now);
    action_apply(u, &a);
}

/* A physical keyboard's text and keys go to the same field. */
static bool physical(ui_t *u, const display_event_t *ev)
{
    if (!u->edit) {
        return false;
    }
    if (ev->type == DISPLAY_EV_TEXT) {
        textedit_insert(u->edit, ev->text, strlen(ev->text));
    } else if (ev->key == DISPLAY_KEY_BACKSPACE) {
        textedit_backspace(u->edit);
    } else if (ev->key == DISPLAY_KEY_DELETE) {
        textedit_delete(u->edit);
    } else if (ev->key == DISPLAY_KEY_LEFT) {
        textedit_cursor_left(u->edit);
    } else if (ev->key == DISPLAY_KEY_RIGHT) {
        textedit_cursor_right(u->edit);
    } else if (ev->key == DISPLAY_KEY_HOME) {
        textedit_cursor_home(u->edit);
    } else if (ev->key == DISPLAY_KEY_END) {
        textedit_cursor_end(u->edit);
    } else if (ev->key == DISPLAY_KEY_ENTER) {
        textedit_insert(u->edit, "\n", 1); /* refused by single-line fields */
    } else if (ev->key == DISPLAY_KEY_TAB) {
        u->edit = u->edit == u->note ? u->from : u->note; /* the letter's two fields */
        keyboard_multiline_set(u->kb, u->edit == u->note);
    } else {
        return false;
    }
    u->preview_dirty = true;
    return true;
}

bool ui_keyboard_event(ui_t *u, const display_event_t *ev)
{
    if (ev->type == DISPLAY_EV_TEXT || ev->type == DISPLAY_EV_KEY) {
        return physical(u, ev);
    }
    const display_rect_t *a = &u->kb_area;
    if (a->w <= 0 || a->h <= 0) {
        return false;
    }
    double x = (ev->x - a->x) / a->w, y = (ev->y - a->y) / a->h;
    keyboard_action_t act = {0};
    if (ev->type == DISPLAY_EV_DOWN) {
        if (x < 0 || x > 1 || y < 0 || y > 1) {
            return false;
        }
        u->kb_touch = true;
        act = keyboard_press(u->kb, x, y, ev->ms);
    } else if (!u->kb_touch) {
        return false;
    } else if (ev->type == DISPLAY_EV_MOVE) {
        act = keyboard_move(u->kb, x, y, ev->ms);
    } else if (ev->type == DISPLAY_EV_UP) {
        u->kb_touch = false;
        act = keyboard_release(u->kb, x, y, ev->ms);
    }
    action_apply(u, &act);
    return true;
}
