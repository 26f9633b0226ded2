/* display-sdl.c - display.h on SDL2 and SDL_ttf. The UI is always drawn into a target texture
 * the size of the UI, then copied to the window - turned a quarter for a portrait UI on a
 * landscape panel (SDL2 has no output rotation) - so reading a frame back and rotating work the
 * same way in every mode. Rendered text is cached as textures: a kiosk frame redraws the same
 * words sixty times a second. */
#include "likeletter/display.h"

#include "likeletter/log.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FONT_SIZES 24
#define TEXT_CACHE 160
#define TEXT_CACHE_BYTES (12u << 20) /* a note being typed makes a new, large texture per key */
#define TEXT_KEY_MAX 512

typedef struct font_slot {
    int size;
    bool bold;
    TTF_Font *font;
} font_slot_t;

typedef struct text_entry {
    uint64_t hash;
    char key[TEXT_KEY_MAX];
    SDL_Texture *tex;
    int w, h;
    uint32_t used; /* frame it was last drawn in */
} text_entry_t;

typedef struct image_slot {
    SDL_Texture *tex;
    int w, h;
} image_slot_t;

typedef struct layer_slot {
    SDL_Texture *tex; /* a render target, opaque like the frame */
    int x, y, w, h;   /* where it goes in the frame, whole pixels */
} layer_slot_t;

struct display {
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *target; /* the UI frame */
    int ui_w, ui_h;      /* UI pixels */
    int out_w, out_h;    /* the renderer's output pixels */
    bool portrait;
    bool pointer_down;
    SDL_FingerID finger; /* the finger being followed (one at a time) */
    bool finger_down;
    float px_per_mm;
    char font_path[1024], bold_path[1024];
    font_slot_t fonts[FONT_SIZES];
    text_entry_t text[TEXT_CACHE];
    size_t text_bytes; /* what the cached text textures hold, RGBA */
    image_slot_t images[DISPLAY_IMAGES];
    layer_slot_t layers[DISPLAY_LAYERS];
    float ox, oy; /* the origin of the texture drawn into: the frame's (0, 0) or a layer's */
    uint32_t frame;
    uint32_t start;
};

static void color_set(SDL_Renderer *r, uint32_t rgb, uint8_t a)
{
    SDL_SetRenderDrawColor(r, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, a);
}

/* The UI frame texture at the UI size for the renderer's current output. */
static int frame_make(display_t *d)
{
    if (SDL_GetRendererOutputSize(d->renderer, &d->out_w, &d->out_h) != 0) {
        log_msg(LOG_ERROR, "display: %s", SDL_GetError());
        return -1;
    }
    d->ui_w = d->portrait ? d->out_h : d->out_w;
    d->ui_h = d->portrait ? d->out_w : d->out_h;
    if (d->target) {
        SDL_DestroyTexture(d->target);
    }
    d->target = SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_TARGET,
                                  d->ui_w, d->ui_h);
    if (!d->target || SDL_SetRenderTarget(d->renderer, d->target) != 0) {
        log_msg(LOG_ERROR, "display: cannot make a %dx%d frame: %s", d->ui_w, d->ui_h,
                SDL_GetError());
        return -1;
    }
    return 0;
}

static float dpi_px_per_mm(SDL_Window *w)
{
    float ddpi = 0, hdpi = 0, vdpi = 0;
    int index = SDL_GetWindowDisplayIndex(w);
    if (index >= 0 && SDL_GetDisplayDPI(index, &ddpi, &hdpi, &vdpi) == 0 && hdpi > 30 &&
        hdpi < 1000) {
        return hdpi / 25.4f;
    }
    return 96.0f / 25.4f;
}

static int window_make(display_t *d, const display_config_t *cfg)
{
    Uint32 flags = SDL_WINDOW_SHOWN | (cfg->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    d->window = SDL_CreateWindow(cfg->title ? cfg->title : "likeletter", SDL_WINDOWPOS_CENTERED,
                                 SDL_WINDOWPOS_CENTERED, cfg->width > 0 ? cfg->width : 1280,
                                 cfg->height > 0 ? cfg->height : 800, flags);
    if (d->window) {
        d->renderer = SDL_CreateRenderer(d->window, -1,
                                         SDL_RENDERER_ACCELERATED | SDL_RENDERER_TARGETTEXTURE);
        if (!d->renderer) {
            d->renderer = SDL_CreateRenderer(d->window, -1, SDL_RENDERER_SOFTWARE);
        }
    }
    if (!d->window || !d->renderer) {
        log_msg(LOG_ERROR, "display: cannot open a window (SDL video driver %s): %s",
                SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "none", SDL_GetError());
        return -1;
    }
    /* A kiosk shows no pointer; the touch panel is the pointer. */
    if (cfg->fullscreen) {
        SDL_ShowCursor(SDL_DISABLE);
    }
    SDL_SetRenderDrawBlendMode(d->renderer, SDL_BLENDMODE_BLEND);
    d->px_per_mm = dpi_px_per_mm(d->window);
    return frame_make(d);
}

display_t *display_open(const display_config_t *cfg)
{
    display_t *d = calloc(1, sizeof *d);
    if (!d) {
        log_msg(LOG_ERROR, "display: out of memory");
        return NULL;
    }
    d->portrait = cfg->portrait;
    snprintf(d->font_path, sizeof d->font_path, "%s", cfg->font_path ? cfg->font_path : "");
    snprintf(d->bold_path, sizeof d->bold_path, "%s",
             cfg->font_bold_path ? cfg->font_bold_path : d->font_path);
    /* Touches are ours to handle; SDL must not also turn them into mouse clicks or the reverse. */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0 || TTF_Init() != 0) {
        log_msg(LOG_ERROR, "display: cannot start SDL: %s", SDL_GetError());
        free(d);
        return NULL;
    }
    if (window_make(d, cfg) != 0) {
        display_close(d);
        return NULL;
    }
    d->start = SDL_GetTicks();
    SDL_StartTextInput();
    return d;
}

void display_close(display_t *d)
{
    if (!d) {
        return;
    }
    for (int i = 0; i < TEXT_CACHE; i++) {
        if (d->text[i].tex) {
            SDL_DestroyTexture(d->text[i].tex);
        }
    }
    for (int i = 0; i < DISPLAY_LAYERS; i++) {
        if (d->layers[i].tex) {
            SDL_DestroyTexture(d->layers[i].tex);
        }
    }
    for (int i = 0; i < DISPLAY_IMAGES; i++) {
        if (d->images[i].tex) {
            SDL_DestroyTexture(d->images[i].tex);
        }
    }
    for (int i = 0; i < FONT_SIZES; i++) {
        if (d->fonts[i].font) {
            TTF_CloseFont(d->fonts[i].font);
        }
    }
    if (d->target) {
        SDL_DestroyTexture(d->target);
    }
    if (d->renderer) {
        SDL_DestroyRenderer(d->renderer);
    }
    if (d->window) {
        SDL_DestroyWindow(d->window);
    }
    TTF_Quit();
    SDL_Quit();
    free(d);
}

void display_size(const display_t *d, int32_t *w, int32_t *h)
{
    *w = d->ui_w;
    *h = d->ui_h;
}

float display_px_per_mm(const display_t *d)
{
    return d->px_per_mm;
}

uint32_t display_ms(const display_t *d)
{
    return SDL_GetTicks() - d->start;
}

/* Window coordinates (or 0..1 of it for fingers) to UI pixels, undoing the quarter turn. */
static void to_ui(const display_t *d, float ox, float oy, float *x, float *y)
{
    if (d->portrait) {
        *x = oy;
        *y = (float)d->out_w - ox;
    } else {
        *x = ox;
        *y = oy;
    }
}

/* Mouse coordinates are in window points; the frame is in output pixels (HiDPI differs). */
static void mouse_to_ui(const display_t *d, int mx, int my, float *x, float *y)
{
    int ww = 1, wh = 1;
    SDL_GetWindowSize(d->window, &ww, &wh);
    float sx = ww > 0 ? (float)d->out_w / (float)ww : 1,
          sy = wh > 0 ? (float)d->out_h / (float)wh : 1;
    to_ui(d, (float)mx * sx, (float)my * sy, x, y);
}

static display_key_t key_map(SDL_Keycode k)
{
    switch (k) {
    case SDLK_BACKSPACE:
        return DISPLAY_KEY_BACKSPACE;
    case SDLK_DELETE:
        return DISPLAY_KEY_DELETE;
    case SDLK_LEFT:
        return DISPLAY_KEY_LEFT;
    case SDLK_RIGHT:
        return DISPLAY_KEY_RIGHT;
    case SDLK_UP:
        return DISPLAY_KEY_UP;
    case SDLK_DOWN:
        return DISPLAY_KEY_DOWN;
    case SDLK_HOME:
        return DISPLAY_KEY_HOME;
    case SDLK_END:
        return DISPLAY_KEY_END;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        return DISPLAY_KEY_ENTER;
    case SDLK_ESCAPE:
        return DISPLAY_KEY_ESCAPE;
    case SDLK_TAB:
        return DISPLAY_KEY_TAB;
    default:
        return (display_key_t)0;
    }
}

/* A finger: only the first one down is followed, so a palm or a second finger acts on nothing. */
static bool finger_event(display_t *d, const SDL_TouchFingerEvent *f, display_event_t *ev)
{
    if (f->type == SDL_FINGERDOWN) {
        if (d->finger_down || d->pointer_down) {
            return false;
        }
        d->finger_down = true;
        d->finger = f->fingerId;
        ev->type = DISPLAY_EV_DOWN;
    } else if (!d->finger_down || f->fingerId != d->finger) {
        return false;
    } else if (f->type == SDL_FINGERMOTION) {
        ev->type = DISPLAY_EV_MOVE;
    } else {
        d->finger_down = false;
        ev->type = DISPLAY_EV_UP;
    }
    to_ui(d, f->x * (float)d->out_w, f->y * (float)d->out_h, &ev->x, &ev->y);
    return true;
}

static bool mouse_event(display_t *d, const SDL_Event *e, display_event_t *ev)
{
    /* A touch SDL also reports as a mouse event is handled as the finger already. */
    if ((e->type == SDL_MOUSEMOTION ? e->motion.which : e->button.which) == SDL_TOUCH_MOUSEID ||
        d->finger_down) {
        return false;
    }
    if (e->type == SDL_MOUSEMOTION) {
        if (!d->pointer_down) {
            return false;
        }
        ev->type = DISPLAY_EV_MOVE;
        mouse_to_ui(d, e->motion.x, e->motion.y, &ev->x, &ev->y);
        return true;
    }
    if (e->button.button != SDL_BUTTON_LEFT) {
        return false;
    }
    bool down = e->type == SDL_MOUSEBUTTONDOWN;
    if (down == d->pointer_down) {
        return false;
    }
    d->pointer_down = down;
    ev->type = down ? DISPLAY_EV_DOWN : DISPLAY_EV_UP;
    mouse_to_ui(d, e->button.x, e->button.y, &ev->x, &ev->y);
    return true;
}

static bool translate(display_t *d, const SDL_Event *e, display_event_t *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->ms = SDL_GetTicks() - d->start;
    switch (e->type) {
    case SDL_QUIT:
        ev->type = DISPLAY_EV_QUIT;
        return true;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP:
        return finger_event(d, &e->tfinger, ev);
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEMOTION:
        return mouse_event(d, e, ev);
    case SDL_TEXTINPUT:
        ev->type = DISPLAY_EV_TEXT;
        snprintf(ev->text, sizeof ev->text, "%s", e->text.text);
        return true;
    case SDL_KEYDOWN:
        ev->key = key_map(e->key.keysym.sym);
        ev->type = ev->key ? DISPLAY_EV_KEY : DISPLAY_EV_NONE;
        return ev->key != 0;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED && frame_make(d) == 0) {
            ev->type = DISPLAY_EV_RESIZED;
            return true;
        }
        return false;
    default:
        return false;
    }
}

bool display_event_wait(display_t *d, display_event_t *ev, int32_t timeout_ms)
{
    SDL_Event e;
    uint32_t end = SDL_GetTicks() + (uint32_t)(timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        int32_t left = (int32_t)(end - SDL_GetTicks());
        int got = left > 0 ? SDL_WaitEventTimeout(&e, left) : SDL_PollEvent(&e);
        if (!got) {
            return false;
        }
        if (translate(d, &e, ev)) {
            return true;
        }
    }
}

void display_clear(display_t *d, uint32_t rgb)
{
    color_set(d->renderer, rgb, 255);
    SDL_RenderClear(d->renderer);
}

void display_fill(display_t *d, display_rect_t r, uint32_t rgb, uint8_t alpha, float radius)
{
    r.x -= d->ox, r.y -= d->oy;
    color_set(d->renderer, rgb, alpha);
    float rad = fminf(radius, fminf(r.w, r.h) / 2);
    if (rad < 1) {
        SDL_FRect fr = {r.x, r.y, r.w, r.h};
        SDL_RenderFillRectF(d->renderer, &fr);
        return;
    }
    /* The middle band, then the rounded top and bottom a row at a time. */
    SDL_FRect mid = {r.x, r.y + rad, r.w, r.h - 2 * rad};
    SDL_RenderFillRectF(d->renderer, &mid);
    for (int i = 0; i < (int)ceilf(rad); i++) {
        float dy = rad - (float)i - 0.5f;
        float dx = rad - sqrtf(fmaxf(rad * rad - dy * dy, 0));
        SDL_FRect top = {r.x + dx, r.y + (float)i, r.w - 2 * dx, 1};
        SDL_FRect bottom = {r.x + dx, r.y + r.h - (float)i - 1, r.w - 2 * dx, 1};
        SDL_RenderFillRectF(d->renderer, &top);
        SDL_RenderFillRectF(d->renderer, &bottom);
    }
}

void display_frame(display_t *d, display_rect_t r, uint32_t rgb, float width, float radius)
{
    (void)radius;
    r.x -= d->ox, r.y -= d->oy;
    color_set(d->renderer, rgb, 255);
    SDL_FRect sides[4] = {{r.x, r.y, r.w, width},
                          {r.x, r.y + r.h - width, r.w, width},
                          {r.x, r.y, width, r.h},
                          {r.x + r.w - width, r.y, width, r.h}};
    SDL_RenderFillRectsF(d->renderer, sides, 4);
}

static TTF_Font *font_get(display_t *d, float size_px, bool bold)
{
    int size = (int)lroundf(size_px);
    size = size < 6 ? 6 : size > 400 ? 400 : size;
    int free_slot = -1;
    for (int i = 0; i < FONT_SIZES; i++) {
        if (d->fonts[i].font && d->fonts[i].size == size && d->fonts[i].bold == bold) {
            return d->fonts[i].font;
        }
        if (!d->fonts[i].font && free_slot < 0) {
            free_slot = i;
        }
    }
    if (free_slot < 0) {
        free_slot = (int)(d->frame % FONT_SIZES);
        TTF_CloseFont(d->fonts[free_slot].font);
    }
    TTF_Font *f = TTF_OpenFont(bold ? d->bold_path : d->font_path, size);
    if (!f) {
        log_msg(LOG_ERROR, "display: cannot open the UI font %s: %s",
                bold ? d->bold_path : d->font_path, TTF_GetError());
    }
    d->fonts[free_slot] = (font_slot_t){.size = size, .bold = bold, .font = f};
    return f;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    }
    return h;
}

static size_t entry_bytes(const text_entry_t *t)
{
    return (size_t)t->w * (size_t)t->h * 4;
}

static void entry_drop(display_t *d, text_entry_t *t)
{
    if (t->tex) {
        SDL_DestroyTexture(t->tex);
        d->text_bytes -= entry_bytes(t);
    }
    memset(t, 0, sizeof *t);
}

/* Keeps the cache within its byte budget: the least recently drawn texts go first, never one
 * drawn in this frame. */
static void cache_trim(display_t *d)
{
    while (d->text_bytes > TEXT_CACHE_BYTES) {
        text_entry_t *old = NULL;
        for (int i = 0; i < TEXT_CACHE; i++) {
            text_entry_t *t = &d->text[i];
            if (t->tex && t->used != d->frame && (!old || t->used < old->used)) {
                old = t;
            }
        }
        if (!old) {
            return;
        }
        entry_drop(d, old);
    }
}

/* The texture of one text at one size and wrap width, made once and then reused: drawn white,
 * so one texture serves every colour (display_text() tints it) and measuring a text makes no
 * texture of its own. */
static text_entry_t *text_get(display_t *d, const char *utf8, float size_px, bool bold, float max_w)
{
    char key[TEXT_KEY_MAX];
    int n = snprintf(key, sizeof key, "%d|%d|%d|%s", (int)lroundf(size_px), bold, (int)max_w, utf8);
    if (n < 0 || n >= (int)sizeof key) {
        key[sizeof key - 1] = '\0'; /* a very long text: cached by its first bytes and hash */
    }
    uint64_t h = fnv1a(utf8) ^ fnv1a(key);
    int victim = 0;
    for (int i = 0; i < TEXT_CACHE; i++) {
        text_entry_t *t = &d->text[i];
        if (t->tex && t->hash == h && strcmp(t->key, key) == 0) {
            t->used = d->frame;
            return t;
        }
        if (!t->tex || t->used < d->text[victim].used) {
            victim = i;
        }
    }
    TTF_Font *f = font_get(d, size_px, bold);
    if (!f || !utf8[0]) {
        return NULL;
    }
    SDL_Color c = {255, 255, 255, 255};
    SDL_Surface *s = max_w > 0 ? TTF_RenderUTF8_Blended_Wrapped(f, utf8, c, (Uint32)max_w)
                               : TTF_RenderUTF8_Blended(f, utf8, c);
    SDL_Texture *tex = s ? SDL_CreateTextureFromSurface(d->renderer, s) : NULL;
    text_entry_t *t = &d->text[victim];
    if (!tex) {
        log_msg(LOG_WARN, "display: cannot draw text: %s", SDL_GetError());
        SDL_FreeSurface(s);
        return NULL;
    }
    entry_drop(d, t);
    *t = (text_entry_t){.hash = h, .tex = tex, .w = s->w, .h = s->h, .used = d->frame};
    memcpy(t->key, key, sizeof key);
    d->text_bytes += entry_bytes(t);
    SDL_FreeSurface(s);
    cache_trim(d);
    return t;
}

void display_text_size(display_t *d, const char *utf8, float size_px, bool bold, float max_w,
                       float *w, float *h)
{
    text_entry_t *t = text_get(d, utf8, size_px, bold, max_w);
    *w = t ? (float)t->w : 0;
    *h = t ? (float)t->h : 0;
}

float display_text_width(display_t *d, const char *utf8, size_t len, float size_px, bool bold)
{
    TTF_Font *f = len ? font_get(d, size_px, bold) : NULL;
    char small[512];
    /* SDL_ttf measures NUL-terminated texts: a copy, on the stack when it is short. */
    char *copy = !f ? NULL : len < sizeof small ? small : malloc(len + 1);
    int w = 0, h = 0;
    if (copy) {
        memcpy(copy, utf8, len);
        copy[len] = '\0';
        if (TTF_SizeUTF8(f, copy, &w, &h) != 0) {
            w = 0;
        }
    }
    if (copy != small) {
        free(copy);
    }
    return (float)w;
}

float display_line_height(display_t *d, float size_px, bool bold)
{
    TTF_Font *f = font_get(d, size_px, bold);
    return f ? (float)TTF_FontLineSkip(f) : size_px * 1.2f;
}

float display_text(display_t *d, const char *utf8, float x, float y, float size_px, bool bold,
                   uint32_t rgb, display_align_t align, float max_w)
{
    text_entry_t *t = text_get(d, utf8, size_px, bold, max_w);
    if (!t) {
        return 0;
    }
    SDL_SetTextureColorMod(t->tex, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb);
    float left = x;
    if (max_w > 0) {
        left = align == DISPLAY_CENTER  ? x + (max_w - (float)t->w) / 2
               : align == DISPLAY_RIGHT ? x + max_w - (float)t->w
                                        : x;
    } else {
        left = align == DISPLAY_CENTER  ? x - (float)t->w / 2
               : align == DISPLAY_RIGHT ? x - (float)t->w
                                        : x;
    }
    SDL_FRect dst = {roundf(left) - d->ox, roundf(y) - d->oy, (float)t->w, (float)t->h};
    SDL_RenderCopyF(d->renderer, t->tex, NULL, &dst);
    return (float)t->h;
}

int display_image_set(display_t *d, int slot, const uint8_t *rgb, int32_t w, int32_t h,
                      ptrdiff_t stride)
{
    if (slot < 0 || slot >= DISPLAY_IMAGES || w <= 0 || h <= 0 || stride < (ptrdiff_t)w * 3) {
        return -1;
    }
    image_slot_t *im = &d->images[slot];
    if (!im->tex || im->w != w || im->h != h) {
        if (im->tex) {
            SDL_DestroyTexture(im->tex);
        }
        im->tex =
            SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_RGB24, SDL_TEXTUREACCESS_STATIC, w, h);
        im->w = w, im->h = h;
        if (!im->tex) {
            log_msg(LOG_ERROR, "display: cannot make a %dx%d image: %s", w, h, SDL_GetError());
            return -1;
        }
        SDL_SetTextureScaleMode(im->tex, SDL_ScaleModeLinear);
    }
    return SDL_UpdateTexture(im->tex, NULL, rgb, (int)stride) == 0 ? 0 : -1;
}

void display_image(display_t *d, int slot, display_rect_t r)
{
    if (slot < 0 || slot >= DISPLAY_IMAGES || !d->images[slot].tex) {
        return;
    }
    SDL_FRect dst = {r.x - d->ox, r.y - d->oy, r.w, r.h};
    SDL_RenderCopyF(d->renderer, d->images[slot].tex, NULL, &dst);
}

int display_layer_begin(display_t *d, int layer, display_rect_t where)
{
    if (layer < 0 || layer >= DISPLAY_LAYERS || d->ox != 0 || d->oy != 0) {
        return -1; /* no such layer, or one is being drawn */
    }
    layer_slot_t *l = &d->layers[layer];
    int x = (int)floorf(where.x), y = (int)floorf(where.y);
    int w = (int)ceilf(where.x + where.w) - x, h = (int)ceilf(where.y + where.h) - y;
    if (w <= 0 || h <= 0) {
        return -1;
    }
    if (!l->tex || l->w != w || l->h != h) {
        if (l->tex) {
            SDL_DestroyTexture(l->tex);
        }
        l->tex =
            SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_TARGET, w, h);
        l->w = w, l->h = h;
    }
    if (!l->tex || SDL_SetRenderTarget(d->renderer, l->tex) != 0) {
        log_msg(LOG_WARN, "display: cannot draw a %dx%d layer: %s", w, h, SDL_GetError());
        SDL_SetRenderTarget(d->renderer, d->target);
        return -1;
    }
    l->x = x, l->y = y;
    d->ox = (float)x, d->oy = (float)y;
    return 0;
}

void display_layer_end(display_t *d)
{
    SDL_SetRenderTarget(d->renderer, d->target);
    d->ox = 0, d->oy = 0;
}

void display_layer(display_t *d, int layer)
{
    if (layer < 0 || layer >= DISPLAY_LAYERS || !d->layers[layer].tex) {
        return;
    }
    const layer_slot_t *l = &d->layers[layer];
    SDL_Rect dst = {l->x, l->y, l->w, l->h};
    SDL_RenderCopy(d->renderer, l->tex, NULL, &dst);
}

void display_present(display_t *d)
{
    SDL_SetRenderTarget(d->renderer, NULL);
    SDL_SetRenderDrawColor(d->renderer, 0, 0, 0, 255);
    SDL_RenderClear(d->renderer);
    if (d->portrait) {
        /* The UI texture (out_h x out_w) centred on the output and turned clockwise. */
        SDL_Rect dst = {(d->out_w - d->ui_w) / 2, (d->out_h - d->ui_h) / 2, d->ui_w, d->ui_h};
        SDL_RenderCopyEx(d->renderer, d->target, NULL, &dst, 90.0, NULL, SDL_FLIP_NONE);
    } else {
        SDL_RenderCopy(d->renderer, d->target, NULL, NULL);
    }
    SDL_RenderPresent(d->renderer);
    SDL_SetRenderTarget(d->renderer, d->target);
    d->frame++;
}

int display_read(display_t *d, uint8_t *rgb, int32_t w, int32_t h)
{
    if (w != d->ui_w || h != d->ui_h) {
        return -1;
    }
    return SDL_RenderReadPixels(d->renderer, NULL, SDL_PIXELFORMAT_RGB24, rgb, w * 3) == 0 ? 0 : -1;
}
