/* display.h - the kiosk's screen and input: one window (SDL2: KMSDRM on the Pi, X11 or the dummy
 * driver elsewhere), drawing in UI coordinates, and touch, mouse and keyboard as one stream of
 * events. Nothing above this module knows SDL exists.
 *
 * Coordinates: the UI is laid out in its own pixels (display_size()), which are the window's
 * turned a quarter when the kiosk is mounted portrait on a landscape panel: the UI is drawn into
 * a texture and turned, and touches are mapped back, because SDL2 cannot rotate the output.
 * Touch (SDL finger events, the only input on the Pi's KMSDRM) and mouse produce the same
 * pointer events; a touch that SDL also reports as a mouse event acts once.
 *
 * Memory: display_t owns the window, renderer, fonts (one per size, cached) and textures made
 * by display_image_set(). Errors: display_open() returns NULL with the cause logged; drawing
 * calls cannot fail visibly (a failed draw is logged once). Threads: the thread that opened it.
 */
#ifndef LIKELETTER_DISPLAY_H
#define LIKELETTER_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DISPLAY_IMAGES 8 /* image slots: the preview, QR codes, ... */
#define DISPLAY_LAYERS 2 /* layer slots: parts of the UI drawn once, shown every frame */

typedef struct display_config {
    const char *title;     /* window title ("likeletter") */
    int32_t width, height; /* windowed size; fullscreen uses the display's */
    bool fullscreen;
    bool portrait;              /* the UI is portrait on a landscape panel (or the reverse) */
    const char *font_path;      /* the UI's font (DejaVu Sans) */
    const char *font_bold_path; /* NULL: the regular font */
} display_config_t;

typedef enum {
    DISPLAY_EV_NONE = 0,
    DISPLAY_EV_QUIT,    /* SIGTERM or the window closed: only the admin may act on it */
    DISPLAY_EV_DOWN,    /* a finger or the mouse button went down at x, y */
    DISPLAY_EV_MOVE,    /* ... moved while down */
    DISPLAY_EV_UP,      /* ... came up */
    DISPLAY_EV_TEXT,    /* a physical keyboard typed text (UTF-8) */
    DISPLAY_EV_KEY,     /* a physical keyboard's special key: key */
    DISPLAY_EV_RESIZED, /* the UI size changed */
} display_event_type_t;

typedef enum {
    DISPLAY_KEY_BACKSPACE = 1,
    DISPLAY_KEY_DELETE,
    DISPLAY_KEY_LEFT,
    DISPLAY_KEY_RIGHT,
    DISPLAY_KEY_UP,
    DISPLAY_KEY_DOWN,
    DISPLAY_KEY_HOME,
    DISPLAY_KEY_END,
    DISPLAY_KEY_ENTER,
    DISPLAY_KEY_ESCAPE,
    DISPLAY_KEY_TAB,
} display_key_t;

typedef struct display_event {
    display_event_type_t type;
    float x, y;    /* UI pixels, for pointer events */
    char text[32]; /* DISPLAY_EV_TEXT */
    display_key_t key;
    uint32_t ms; /* SDL ticks when it happened */
} display_event_t;

typedef struct display_rect {
    float x, y, w, h;
} display_rect_t;

typedef enum { DISPLAY_LEFT = 0, DISPLAY_CENTER = 1, DISPLAY_RIGHT = 2 } display_align_t;

typedef struct display display_t;

/* Opens the window. SDL_VIDEODRIVER picks the video driver as usual. Returns NULL (logged). */
display_t *display_open(const display_config_t *cfg);

/* Closes it; accepts NULL. */
void display_close(display_t *d);

/* The UI's size in its pixels, and how many of them make a millimetre on the panel (from the
 * display's reported DPI; 96 dpi when it reports none). */
void display_size(const display_t *d, int32_t *w, int32_t *h);
float display_px_per_mm(const display_t *d);

/* Waits up to timeout_ms for an event (0: only what is pending). Returns true with *ev. */
bool display_event_wait(display_t *d, display_event_t *ev, int32_t timeout_ms);

/* Milliseconds since the display opened (monotonic). */
uint32_t display_ms(const display_t *d);

/* Drawing, in UI pixels; colours 0xRRGGBB, alpha 0..255 where given. */
void display_clear(display_t *d, uint32_t rgb);
void display_fill(display_t *d, display_rect_t r, uint32_t rgb, uint8_t alpha, float radius);
void display_frame(display_t *d, display_rect_t r, uint32_t rgb, float width, float radius);

/* Text in the UI font at size_px (bold or not) with its top at y: wrapped at spaces to max_w and
 * aligned within [x, x + max_w]; max_w 0 draws one line starting at x (DISPLAY_LEFT), centred on
 * x or ending at x. Returns the height drawn. display_text_size() measures without drawing. */
float display_text(display_t *d, const char *utf8, float x, float y, float size_px, bool bold,
                   uint32_t rgb, display_align_t align, float max_w);
void display_text_size(display_t *d, const char *utf8, float size_px, bool bold, float max_w,
                       float *w, float *h);

/* The width of utf8[0..len) on one line in the UI font at size_px, measured without drawing
 * (0 for an empty text or without the font), and the font's line height at size_px. */
float display_text_width(display_t *d, const char *utf8, size_t len, float size_px, bool bold);
float display_line_height(display_t *d, float size_px, bool bold);

/* Image slots: display_image_set() copies RGB8 pixels (stride bytes a row) into slot's texture
 * (made or resized as needed); display_image() draws the slot into r (scaled, linear). */
int display_image_set(display_t *d, int slot, const uint8_t *rgb, int32_t w, int32_t h,
                      ptrdiff_t stride);
void display_image(display_t *d, int slot, display_rect_t r);

/* Layers: a part of the UI that changes seldom (the keyboard) drawn once into its own texture
 * and shown each frame with one copy. display_layer_begin() sends all drawing into layer's
 * texture, sized to cover where, until display_layer_end(); coordinates stay the UI's (the
 * layer's origin is where's top-left corner, rounded down), so the same drawing code makes the
 * same pixels either way. Draw every pixel of where (the layer is opaque). display_layer()
 * shows the layer at the place it was drawn for. begin returns 0, or -1 (then draw directly). */
int display_layer_begin(display_t *d, int layer, display_rect_t where);
void display_layer_end(display_t *d);
void display_layer(display_t *d, int layer);

/* Shows the frame drawn since the last present. */
void display_present(display_t *d);

/* Reads the UI frame drawn so far (before present) as RGB8 into rgb (w * h * 3 bytes at the UI
 * size). For tests and screenshots. Returns 0 or -1. */
int display_read(display_t *d, uint8_t *rgb, int32_t w, int32_t h);

#endif
