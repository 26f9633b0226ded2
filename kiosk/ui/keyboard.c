/* keyboard.c - see keyboard.h. Layouts are data: each page is four row strings, one key per
 * code point, with control bytes standing for the special keys (never valid key text, so the
 * two cannot be confused). A page is rebuilt into kb->keys whenever layout, page, shift or
 * multiline change; that is ~40 keys of arithmetic, cheaper than keeping every variant. */
#include "likeletter/keyboard.h"

#include "likeletter/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 4
#define UNIT 100         /* a letter key's width; special keys are wider */
#define GAP_X 8          /* between keys, in UNIT hundredths */
#define GAP_Y 0.12       /* between rows, of a row's height */
#define REPEAT_CATCHUP 3 /* most repeats one late frame may deliver */

/* Special keys inside row strings. Separate literals ("\x01" "zx") keep the hex escape from
 * swallowing the letters after it. */
#define K_SHIFT "\x01"
#define K_BKSP "\x02"
#define K_SPACE "\x03"
#define K_ENTER "\x04"
#define K_SYM "\x05"
#define K_ABC "\x06"
#define K_LEFT "\x07"
#define K_RIGHT "\x08"
#define K_DONE "\x0B"

typedef struct special {
    unsigned char code;
    keyboard_key_kind_t kind;
    int width; /* in UNIT hundredths; 0: takes what the row leaves */
} special_t;

static const special_t specials[] = {
    {0x01, KEYBOARD_KEY_SHIFT, 150},   {0x02, KEYBOARD_KEY_BACKSPACE, 150},
    {0x03, KEYBOARD_KEY_SPACE, 0},     {0x04, KEYBOARD_KEY_ENTER, 150},
    {0x05, KEYBOARD_KEY_SYMBOLS, 150}, {0x06, KEYBOARD_KEY_LETTERS, 150},
    {0x07, KEYBOARD_KEY_LEFT, 100},    {0x08, KEYBOARD_KEY_RIGHT, 100},
    {0x0B, KEYBOARD_KEY_DONE, 150},
};

/* The letter pages. Dutch typists use the US layout; what is Dutch is in the accent table. */
static const char *const letters_en[ROWS] = {
    "qwertyuiop",
    "asdfghjkl",
    K_SHIFT "zxcvbnm" K_BKSP,
    K_SYM "," K_SPACE "." K_ENTER K_DONE,
};

static const char *const letters_de[ROWS] = {
    "qwertzuiopü",
    "asdfghjklöä",
    K_SHIFT "yxcvbnmß" K_BKSP,
    K_SYM "," K_SPACE "." K_ENTER K_DONE,
};

/* Numbers and punctuation, the same for every layout: the typographic quotes and dashes of
 * all three languages are keys here, not only accents, so nobody has to discover them. */
static const char *const symbols_all[ROWS] = {
    "1234567890" K_BKSP,
    "@&/():;-\"'€",
    "„“”‘’–—?!.,",
    K_ABC K_LEFT K_SPACE K_RIGHT K_ENTER K_DONE,
};

#define L_EN (1u << KEYBOARD_EN)
#define L_DE (1u << KEYBOARD_DE)
#define L_NL (1u << KEYBOARD_NL)
#define L_ALL (L_EN | L_DE | L_NL)

/* Long-press choices by key text (lowercase) and layout, space-separated, most common first;
 * the first row matching both wins, so layout-specific rows come before the general ones. The
 * shifted page shows them upper-cased (upper() below). */
typedef struct accent {
    const char *key;
    unsigned layouts;
    const char *choices;
} accent_t;

static const accent_t accents[] = {
    {"e", L_ALL, "é è ê ë ē"}, {"a", L_ALL, "á à â ä å æ ã"},
    {"i", L_NL, "í ì î ï ĳ"},  {"i", L_ALL, "í ì î ï"},
    {"j", L_NL, "ĳ"},          {"o", L_ALL, "ó ò ô ö ø õ œ"},
    {"u", L_ALL, "ú ù û ü"},   {"n", L_ALL, "ñ"},
    {"c", L_ALL, "ç"},         {"s", L_EN | L_NL, "ß"},
    {"y", L_ALL, "ÿ"},         {"\"", L_DE, "„ “ ” » «"},
    {"\"", L_NL, "„ ” “"},     {"\"", L_EN, "“ ” „"},
    {"'", L_ALL, "’ ‘ ‚"},     {"-", L_ALL, "– —"},
    {".", L_ALL, "…"},         {"?", L_ALL, "¿"},
    {"!", L_ALL, "¡"},         {"€", L_ALL, "£ $ ¥"},
};

/* One page as built: the public keys plus what only this file needs. */
typedef struct page {
    keyboard_key_t keys[KEYBOARD_KEYS_MAX];
    size_t row[KEYBOARD_KEYS_MAX];
    const char *accents[KEYBOARD_KEYS_MAX]; /* choices string, or NULL */
    size_t count;
    double unit_w; /* a letter key's slot width, normalized */
} page_t;

struct keyboard {
    keyboard_layout_t layout;
    bool symbols;
    keyboard_shift_t shift;
    bool multiline;
    page_t page;
    /* The touch in progress. */
    bool down;
    int key;       /* under the finger, or -1 */
    int64_t since; /* when the finger reached key */
    double fx, fy;
    bool consumed; /* a repeat fired or the popup opened: the release types nothing more */
    bool repeating;
    int64_t next_repeat;
    bool popup_open;
    keyboard_popup_t popup;
    double popup_x, popup_y, popup_bottom; /* the popup's selection band */
    /* Shift double tap. */
    bool shift_tapped;
    int64_t shift_tap_at;
};

/* ---- time, overflow-safe: the caller's clock may be anything ---- */

static int64_t elapsed(int64_t from, int64_t now)
{
    if (now <= from) {
        return 0;
    }
    if (from < 0 && now > INT64_MAX + from) {
        return INT64_MAX;
    }
    return now - from;
}

static int64_t later(int64_t t, int64_t d)
{
    return t > INT64_MAX - d ? INT64_MAX : t + d;
}

/* ---- text ---- */

/* The upper case of the letters the keyboard offers: ASCII, Latin-1, and the few Latin
 * Extended-A ones in the accent table (ē ĳ œ ÿ). ß becomes ẞ only as an accent choice; the ß key
 * itself keeps ß (see build_key). Anything else is returned unchanged. */
static uint32_t upper(uint32_t cp)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)) {
        return cp - 0x20;
    }
    if (cp == 0xFF) {
        return 0x178;
    }
    if (cp == 0xDF) {
        return 0x1E9E;
    }
    if (cp == 0x113 || cp == 0x133 || cp == 0x153) {
        return cp - 1;
    }
    return cp;
}

/* Writes cp as UTF-8 plus a NUL into out (KEYBOARD_TEXT_MAX bytes); cp is a valid scalar. */
static void encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    size_t n = 0;
    if (cp < 0x80) {
        o[n++] = (unsigned char)cp;
    } else if (cp < 0x800) {
        o[n++] = (unsigned char)(0xC0 | (cp >> 6));
        o[n++] = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        o[n++] = (unsigned char)(0xE0 | (cp >> 12));
        o[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[n++] = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        o[n++] = (unsigned char)(0xF0 | (cp >> 18));
        o[n++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[n++] = (unsigned char)(0x80 | (cp & 0x3F));
    }
    o[n] = '\0';
}

static const char *accents_for(keyboard_layout_t layout, const char *text)
{
    for (size_t i = 0; i < sizeof accents / sizeof accents[0]; i++) {
        if ((accents[i].layouts & (1u << layout)) && strcmp(accents[i].key, text) == 0) {
            return accents[i].choices;
        }
    }
    return NULL;
}

/* ---- building a page ---- */

static const special_t *special_of(uint32_t cp)
{
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        if (specials[i].code == cp) {
            return &specials[i];
        }
    }
    return NULL;
}

/* Adds the key for code point cp of a row string to p, with its width in *width. */
static void build_key(page_t *p, keyboard_layout_t layout, uint32_t cp, bool shifted, int *width)
{
    keyboard_key_t *k = &p->keys[p->count];
    const special_t *sp = special_of(cp);
    memset(k, 0, sizeof *k);
    k->enabled = true;
    p->accents[p->count] = NULL;
    if (sp) {
        k->kind = sp->kind;
        *width = sp->width;
        if (sp->kind == KEYBOARD_KEY_SPACE) {
            strcpy(k->text, " ");
        }
        return;
    }
    k->kind = KEYBOARD_KEY_CHAR;
    *width = UNIT;
    encode(cp, k->text);
    p->accents[p->count] = accents_for(layout, k->text);
    k->accents = p->accents[p->count] != NULL;
    if (shifted && cp != 0xDF) {
        encode(upper(cp), k->text);
    }
}

/* Parses one row string into keys (row r) and returns its fixed width; *fills counts the keys
 * that take the row's remaining width. */
static int build_row(page_t *p, keyboard_layout_t layout, const char *row, size_t r, bool shifted,
                     int widths[], size_t *fills)
{
    int sum = 0;
    size_t len = strlen(row);
    *fills = 0;
    for (size_t off = 0; off < len && p->count < KEYBOARD_KEYS_MAX;) {
        uint32_t cp = 0;
        off += utf8_decode(row + off, len - off, &cp);
        build_key(p, layout, cp, shifted, &widths[p->count]);
        p->row[p->count] = r;
        sum += widths[p->count];
        if (widths[p->count] == 0) {
            (*fills)++;
        }
        p->count++;
    }
    return sum;
}

/* Places row r's keys (first..end) centred in a keyboard total units wide. */
static void place_row(page_t *p, size_t first, size_t end, int total, int sum, size_t fills,
                      int widths[])
{
    int fill = fills ? (total - sum) / (int)fills : 0;
    if (fills && fill < UNIT) {
        fill = UNIT;
    }
    int x = (total - (sum + fill * (int)fills)) / 2;
    double row_h = 1.0 / ROWS;
    for (size_t i = first; i < end; i++) {
        int w = widths[i] ? widths[i] : fill;
        keyboard_rect_t *rc = &p->keys[i].rect;
        rc->x = (x + GAP_X / 2.0) / total;
        rc->w = (w - GAP_X) / (double)total;
        rc->y = (double)p->row[i] * row_h + row_h * GAP_Y / 2;
        rc->h = row_h * (1.0 - GAP_Y);
        x += w;
    }
}

static void build_page(page_t *p, keyboard_layout_t layout, bool symbols, bool shifted,
                       bool multiline)
{
    const char *const *rows = symbols                 ? symbols_all
                              : layout == KEYBOARD_DE ? letters_de
                                                      : letters_en;
    int widths[KEYBOARD_KEYS_MAX];
    int sums[ROWS];
    size_t fills[ROWS], starts[ROWS + 1];
    int total = 0;
    p->count = 0;
    for (size_t r = 0; r < ROWS; r++) {
        starts[r] = p->count;
        sums[r] = build_row(p, layout, rows[r], r, shifted, widths, &fills[r]);
        /* Rows without a stretchy key set the keyboard's width. */
        if (fills[r] == 0 && sums[r] > total) {
            total = sums[r];
        }
    }
    starts[ROWS] = p->count;
    for (size_t r = 0; r < ROWS; r++) {
        place_row(p, starts[r], starts[r + 1], total, sums[r], fills[r], widths);
    }
    for (size_t i = 0; i < p->count; i++) {
        if (p->keys[i].kind == KEYBOARD_KEY_ENTER) {
            p->keys[i].enabled = multiline;
        }
    }
    p->unit_w = (double)UNIT / total;
}

static void rebuild(keyboard_t *kb)
{
    build_page(&kb->page, kb->layout, kb->symbols, kb->shift != KEYBOARD_SHIFT_OFF, kb->multiline);
}

/* ---- public: state ---- */

keyboard_t *keyboard_create(keyboard_layout_t layout)
{
    if ((unsigned)layout > KEYBOARD_NL) {
        return NULL;
    }
    keyboard_t *kb = calloc(1, sizeof *kb);
    if (kb == NULL) {
        return NULL;
    }
    kb->layout = layout;
    kb->key = -1;
    rebuild(kb);
    return kb;
}

void keyboard_free(keyboard_t *kb)
{
    free(kb);
}

void keyboard_cancel(keyboard_t *kb)
{
    kb->down = false;
    kb->key = -1;
    kb->popup_open = false;
    kb->repeating = false;
}

int keyboard_layout_set(keyboard_t *kb, keyboard_layout_t layout)
{
    if ((unsigned)layout > KEYBOARD_NL) {
        return -1;
    }
    keyboard_cancel(kb);
    kb->layout = layout;
    rebuild(kb);
    return 0;
}

keyboard_layout_t keyboard_layout(const keyboard_t *kb)
{
    return kb->layout;
}

void keyboard_multiline_set(keyboard_t *kb, bool multiline)
{
    kb->multiline = multiline;
    rebuild(kb);
}

keyboard_page_t keyboard_page(const keyboard_t *kb)
{
    if (kb->symbols) {
        return KEYBOARD_PAGE_SYMBOLS;
    }
    return kb->shift == KEYBOARD_SHIFT_OFF ? KEYBOARD_PAGE_LETTERS : KEYBOARD_PAGE_SHIFTED;
}

keyboard_shift_t keyboard_shift(const keyboard_t *kb)
{
    return kb->shift;
}

void keyboard_shift_set(keyboard_t *kb, keyboard_shift_t shift)
{
    if ((unsigned)shift > KEYBOARD_SHIFT_LOCK) {
        return;
    }
    keyboard_cancel(kb);
    kb->shift = shift;
    kb->shift_tapped = false;
    rebuild(kb);
}

void keyboard_keys(const keyboard_t *kb, const keyboard_key_t **keys, size_t *count, size_t *rows)
{
    *keys = kb->page.keys;
    *count = kb->page.count;
    if (rows) {
        *rows = ROWS;
    }
}

static void page_hit_min(const page_t *p, double *w, double *h)
{
    for (size_t i = 0; i < p->count; i++) {
        *w = fmin(*w, p->keys[i].rect.w);
        *h = fmin(*h, p->keys[i].rect.h);
    }
}

void keyboard_min_key_size(const keyboard_t *kb, double *w, double *h)
{
    /* Every page of the layout: the keyboard must not shrink when the visitor switches. */
    static const bool variants[3][2] = {{false, false}, {false, true}, {true, false}};
    page_t p;
    *w = 1.0;
    *h = 1.0;
    for (size_t v = 0; v < 3; v++) {
        build_page(&p, kb->layout, variants[v][0], variants[v][1], kb->multiline);
        page_hit_min(&p, w, h);
    }
}

/* ---- hit testing ---- */

static int hit_page(const page_t *p, double x, double y)
{
    if (!(x >= 0.0 && x <= 1.0 && y >= 0.0 && y <= 1.0)) {
        return -1;
    }
    size_t r = (size_t)(y * ROWS);
    if (r >= ROWS) {
        r = ROWS - 1;
    }
    int best = -1;
    double best_d = INFINITY;
    for (size_t i = 0; i < p->count; i++) {
        if (p->row[i] != r) {
            continue;
        }
        const keyboard_rect_t *rc = &p->keys[i].rect;
        double d = fmax(fmax(rc->x - x, x - (rc->x + rc->w)), 0.0);
        if (d < best_d) {
            best_d = d;
            best = (int)i;
        }
    }
    return best;
}

int keyboard_hit(const keyboard_t *kb, double x, double y)
{
    return hit_page(&kb->page, x, y);
}

/* ---- the popup ---- */

/* Opens the popup of key k: its choices in a row one key-row above, starting over the key and
 * pushed inwards at the keyboard's edges. */
static void popup_open(keyboard_t *kb, int k)
{
    keyboard_popup_t *pp = &kb->popup;
    const char *s = kb->page.accents[k];
    const keyboard_key_t *key = &kb->page.keys[k];
    bool shifted = !kb->symbols && kb->shift != KEYBOARD_SHIFT_OFF;
    size_t len = strlen(s);
    memset(pp, 0, sizeof *pp);
    for (size_t off = 0; off < len && pp->count < KEYBOARD_POPUP_MAX;) {
        uint32_t cp = 0;
        off += utf8_decode(s + off, len - off, &cp);
        if (cp != ' ') {
            encode(shifted ? upper(cp) : cp, pp->choices[pp->count++]);
        }
    }
    double cw = kb->page.unit_w, rh = 1.0 / ROWS;
    double row_y = (double)kb->page.row[k] * rh;
    double x = key->rect.x - cw * GAP_X / UNIT / 2.0;
    x = fmax(0.0, fmin(x, 1.0 - cw * (double)pp->count));
    for (size_t i = 0; i < pp->count; i++) {
        pp->rects[i] = (keyboard_rect_t){x + cw * (double)i + cw * GAP_X / UNIT / 2.0,
                                         row_y - rh + rh * GAP_Y / 2,
                                         cw * (1.0 - (double)GAP_X / UNIT), rh * (1.0 - GAP_Y)};
    }
    pp->key = k;
    kb->popup_x = x;
    kb->popup_y = row_y - rh;
    kb->popup_bottom = row_y + 2 * rh;
    kb->popup_open = true;
    kb->consumed = true;
}

/* The choice under the finger: by x within the popup's band (from half a row above it to a row
 * below the key, half a choice past either end), or -1 away from it. */
static int popup_choice(const keyboard_t *kb, double x, double y)
{
    double cw = kb->page.unit_w, n = (double)kb->popup.count;
    double half_row = 0.5 / ROWS;
    if (!(x >= kb->popup_x - cw / 2 && x <= kb->popup_x + n * cw + cw / 2 &&
          y >= kb->popup_y - half_row && y <= kb->popup_bottom)) {
        return -1;
    }
    double i = floor((x - kb->popup_x) / cw);
    return (int)fmax(0.0, fmin(i, n - 1));
}

const keyboard_popup_t *keyboard_popup(const keyboard_t *kb)
{
    return kb->popup_open ? &kb->popup : NULL;
}

int keyboard_pressed_key(const keyboard_t *kb)
{
    return kb->down ? kb->key : -1;
}

/* ---- actions ---- */

static keyboard_action_t action(keyboard_action_kind_t kind, unsigned count)
{
    keyboard_action_t a;
    memset(&a, 0, sizeof a);
    a.kind = kind;
    a.count = kind == KEYBOARD_ACTION_NONE ? 0 : count;
    return a;
}

/* Inserts text; a letter typed on the shifted page uses up a one-shot shift. */
static keyboard_action_t insert(keyboard_t *kb, const char *text, bool letter)
{
    keyboard_action_t a = action(KEYBOARD_ACTION_INSERT, 1);
    size_t n = strlen(text);
    n = n < KEYBOARD_TEXT_MAX ? n : KEYBOARD_TEXT_MAX - 1;
    memcpy(a.text, text, n);
    a.text[n] = '\0';
    if (letter && !kb->symbols && kb->shift == KEYBOARD_SHIFT_ONCE) {
        kb->shift = KEYBOARD_SHIFT_OFF;
        rebuild(kb);
    }
    return a;
}

static void shift_tap(keyboard_t *kb, int64_t now)
{
    switch (kb->shift) {
    case KEYBOARD_SHIFT_OFF:
        kb->shift = KEYBOARD_SHIFT_ONCE;
        kb->shift_tapped = true;
        kb->shift_tap_at = now;
        break;
    case KEYBOARD_SHIFT_ONCE:
        kb->shift = kb->shift_tapped && elapsed(kb->shift_tap_at, now) <= KEYBOARD_DOUBLE_TAP_MS
                        ? KEYBOARD_SHIFT_LOCK
                        : KEYBOARD_SHIFT_OFF;
        kb->shift_tapped = false;
        break;
    case KEYBOARD_SHIFT_LOCK:
        kb->shift = KEYBOARD_SHIFT_OFF;
        break;
    }
    rebuild(kb);
}

static keyboard_action_kind_t repeat_kind(keyboard_key_kind_t kind)
{
    switch (kind) {
    case KEYBOARD_KEY_BACKSPACE:
        return KEYBOARD_ACTION_BACKSPACE;
    case KEYBOARD_KEY_LEFT:
        return KEYBOARD_ACTION_LEFT;
    case KEYBOARD_KEY_RIGHT:
        return KEYBOARD_ACTION_RIGHT;
    default:
        return KEYBOARD_ACTION_NONE;
    }
}

/* What tapping key k does (a flat dispatcher). */
static keyboard_action_t activate(keyboard_t *kb, int k, int64_t now)
{
    const keyboard_key_t *key = &kb->page.keys[k];
    switch (key->kind) {
    case KEYBOARD_KEY_CHAR:
        return insert(kb, key->text, true);
    case KEYBOARD_KEY_SPACE:
        return insert(kb, " ", false);
    case KEYBOARD_KEY_SHIFT:
        shift_tap(kb, now);
        return action(KEYBOARD_ACTION_NONE, 0);
    case KEYBOARD_KEY_BACKSPACE:
    case KEYBOARD_KEY_LEFT:
    case KEYBOARD_KEY_RIGHT:
        return action(repeat_kind(key->kind), 1);
    case KEYBOARD_KEY_ENTER:
        return action(key->enabled ? KEYBOARD_ACTION_NEWLINE : KEYBOARD_ACTION_NONE, 1);
    case KEYBOARD_KEY_SYMBOLS:
    case KEYBOARD_KEY_LETTERS:
        kb->symbols = key->kind == KEYBOARD_KEY_SYMBOLS;
        rebuild(kb);
        return action(KEYBOARD_ACTION_NONE, 0);
    case KEYBOARD_KEY_DONE:
        return action(KEYBOARD_ACTION_DONE, 1);
    }
    return action(KEYBOARD_ACTION_NONE, 0);
}

/* Repeats of a held backspace or cursor key that are due by now. */
static keyboard_action_t repeat_due(keyboard_t *kb, keyboard_action_kind_t kind, int64_t now)
{
    if (!kb->repeating) {
        if (elapsed(kb->since, now) < KEYBOARD_REPEAT_DELAY_MS) {
            return action(KEYBOARD_ACTION_NONE, 0);
        }
        kb->repeating = true;
        kb->consumed = true;
        kb->next_repeat = later(kb->since, KEYBOARD_REPEAT_DELAY_MS + KEYBOARD_REPEAT_MS);
        return action(kind, 1);
    }
    if (now < kb->next_repeat) {
        return action(KEYBOARD_ACTION_NONE, 0);
    }
    int64_t n = elapsed(kb->next_repeat, now) / KEYBOARD_REPEAT_MS + 1;
    if (n > REPEAT_CATCHUP) {
        n = REPEAT_CATCHUP;
        kb->next_repeat = later(now, KEYBOARD_REPEAT_MS);
    } else {
        kb->next_repeat = later(kb->next_repeat, n * KEYBOARD_REPEAT_MS);
    }
    return action(kind, (unsigned)n);
}

/* Runs the timers of the touch in progress. */
static keyboard_action_t advance(keyboard_t *kb, int64_t now)
{
    if (!kb->down || kb->key < 0) {
        return action(KEYBOARD_ACTION_NONE, 0);
    }
    keyboard_action_kind_t rk = repeat_kind(kb->page.keys[kb->key].kind);
    if (rk != KEYBOARD_ACTION_NONE) {
        return repeat_due(kb, rk, now);
    }
    if (!kb->popup_open && kb->page.accents[kb->key] &&
        elapsed(kb->since, now) >= KEYBOARD_LONG_PRESS_MS) {
        popup_open(kb, kb->key);
        kb->popup.selected = popup_choice(kb, kb->fx, kb->fy);
    }
    return action(KEYBOARD_ACTION_NONE, 0);
}

/* Ends the touch with the finger at (x, y): commits the popup's choice or the key under it. */
static keyboard_action_t finish(keyboard_t *kb, double x, double y, int64_t now)
{
    kb->down = false;
    kb->repeating = false;
    if (kb->popup_open) {
        kb->popup_open = false;
        int c = popup_choice(kb, x, y);
        kb->key = -1;
        if (c < 0) {
            return action(KEYBOARD_ACTION_NONE, 0);
        }
        return insert(kb, kb->popup.choices[c], true);
    }
    int k = keyboard_hit(kb, x, y);
    kb->key = -1;
    if (kb->consumed || k < 0) {
        return action(KEYBOARD_ACTION_NONE, 0);
    }
    return activate(kb, k, now);
}

keyboard_action_t keyboard_press(keyboard_t *kb, double x, double y, int64_t now)
{
    keyboard_action_t a = action(KEYBOARD_ACTION_NONE, 0);
    if (kb->down) {
        a = finish(kb, kb->fx, kb->fy, now);
    }
    int k = keyboard_hit(kb, x, y);
    if (k < 0) {
        return a;
    }
    kb->down = true;
    kb->key = k;
    kb->since = now;
    kb->fx = x;
    kb->fy = y;
    kb->consumed = false;
    kb->repeating = false;
    kb->popup_open = false;
    return a;
}

keyboard_action_t keyboard_move(keyboard_t *kb, double x, double y, int64_t now)
{
    if (!kb->down) {
        return action(KEYBOARD_ACTION_NONE, 0);
    }
    keyboard_action_t a = advance(kb, now);
    kb->fx = x;
    kb->fy = y;
    if (kb->popup_open) {
        kb->popup.selected = popup_choice(kb, x, y);
        return a;
    }
    /* A new key restarts the hold timers: the long press and repeat belong to it now. */
    int k = keyboard_hit(kb, x, y);
    if (k != kb->key) {
        kb->key = k;
        kb->since = now;
        kb->repeating = false;
    }
    return a;
}

keyboard_action_t keyboard_release(keyboard_t *kb, double x, double y, int64_t now)
{
    if (!kb->down) {
        return action(KEYBOARD_ACTION_NONE, 0);
    }
    kb->fx = x;
    kb->fy = y;
    keyboard_action_t a = advance(kb, now);
    keyboard_action_t b = finish(kb, x, y, now);
    return a.kind != KEYBOARD_ACTION_NONE ? a : b;
}

keyboard_action_t keyboard_tick(keyboard_t *kb, int64_t now)
{
    return advance(kb, now);
}
