/* ui.h - what the kiosk's screens share (private to kiosk/ui/): the app's state, sizes in
 * millimetres turned into UI pixels, and the touch targets of the frame being drawn.
 *
 * Each screen is a pair of functions: draw (paints the frame and registers its touch targets
 * with ui_button()) and, for targets that were tapped, act (ui_target_t.id says which). A tap
 * is a press and a release on the same target, so a finger that slides off cancels. */
#ifndef LIKELETTER_UI_H
#define LIKELETTER_UI_H

#include "likeletter/card.h"
#include "likeletter/config.h"
#include "likeletter/display.h"
#include "likeletter/draft.h"
#include "likeletter/feed.h"
#include "likeletter/handoff.h"
#include "likeletter/keyboard.h"
#include "likeletter/ledger.h"
#include "likeletter/printer.h"
#include "likeletter/printing.h"
#include "likeletter/textedit.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define UI_TARGETS 96
#define UI_SLOT_PREVIEW 0 /* display image slots */
#define UI_SLOT_QR 1
#define UI_LAYER_KEYBOARD 0 /* display layer slots */

/* Colours: calm paper and ink, one accent. */
#define UI_BG 0xF6F1E7u
#define UI_INK 0x1B2A4Au
#define UI_MUTED 0x6B7280u
#define UI_ACCENT 0xB4532Au
#define UI_CARD 0xFFFFFFu
#define UI_LINE 0xD9CFBEu

typedef enum {
    SCREEN_ATTRACT = 0,
    SCREEN_POST,
    SCREEN_LIKED,
    SCREEN_SHARE,
    SCREEN_LETTER,
    SCREEN_PRINTING,
    SCREEN_DONE,
    SCREEN_STILL_THERE,
    SCREEN_MESSAGE,
    SCREEN_CALL,
    SCREEN_PIN,
    SCREEN_ADMIN,
    SCREEN_COUNT
} screen_t;

typedef struct ui_target {
    display_rect_t r;
    int id;
} ui_target_t;

/* A text field drawn in this frame, for a tap in it (widget-field.c). */
#define UI_FIELDS 4
typedef struct ui_field {
    int id;              /* its touch target */
    textedit_t *te;      /* its text */
    display_rect_t area; /* where the text is drawn */
    float size;          /* text size, px */
    size_t first;        /* the first line shown: scrolled so the caret's line shows */
} ui_field_t;

/* What the print worker thread tells the screen (under the app's mutex). */
typedef struct ui_print_status {
    int64_t job_id;
    queue_state_t state;
    char message[QUEUE_MESSAGE_MAX]; /* in the visitor's language */
    bool needs_person;
} ui_print_status_t;

typedef struct ui {
    display_t *display;
    config_t cfg;
    char db_path[1100];
    feed_t *feed;
    ledger_t *ledger;
    draft_store_t *drafts; /* the letter being written, autosaved until the session ends */
    uint32_t draft_saved;  /* display ms of the last save */
    bool draft_dirty;
    card_renderer_t *renderers[CONFIG_FONTS]; /* one per handwriting, opened when chosen */
    int32_t w, h;                             /* UI pixels */
    float mm;                                 /* UI pixels per millimetre */
    screen_t screen, back;                    /* back: where STILL_THERE returns to */
    size_t post;                              /* the post shown */
    uint32_t now;                             /* ms, display clock */
    uint32_t last_input, screen_since;
    uint32_t idle_debt; /* idle time a restored session brought from before a restart */
    char session[40];
    char lang[4];
    bool liked; /* this session liked this post */
    int64_t counts[LEDGER_RUNGS];
    /* touch */
    ui_target_t targets[UI_TARGETS];
    int ntargets;
    ui_field_t fields[UI_FIELDS];
    int nfields;
    int pressed; /* target id under the finger since it went down, or -1 */
    float down_x, down_y;
    /* typing: the keyboard, where it is drawn, and the field it types into */
    keyboard_t *kb;
    display_rect_t kb_area;
    bool kb_touch;    /* a touch that began on the keyboard */
    uint64_t kb_look; /* what the keyboard's layer shows (a hash of its keys' looks), 0: none */
    textedit_t *edit; /* the focused field, or NULL */
    bool edit_done;   /* the keyboard's done key was tapped */
    /* the message and coffee-chat rungs */
    textedit_t *message;
    bool handed;                         /* recorded; the hand-off QR is shown */
    char handoff[HANDOFF_EVENT_MAX + 1]; /* the mailto: or invitation in the QR */
    handoff_slot_t slots[HANDOFF_SLOTS_MAX];
    size_t nslots;
    /* the letter */
    textedit_t *note, *from;
    int font, ink;
    card_format_t card; /* the visitor's card size: one of ui_cards() */
    int greeting;       /* German: 0 "Liebe", 1 "Lieber", 2 "Hallo" (the others have one) */
    uint8_t *preview;   /* RGB8 */
    int32_t preview_w, preview_h;
    bool preview_dirty;
    char preview_error[256];
    char qr_text[HANDOFF_EVENT_MAX + 1]; /* what image slot UI_SLOT_QR shows */
    /* printing */
    pthread_t worker;
    bool worker_running;
    volatile sig_atomic_t worker_stop;
    pthread_mutex_t lock;
    ui_print_status_t print;
    int64_t job_id;
    /* the printer watcher: which of cards_offered the printer takes, looked up at start, every
     * minute, and whenever the admin screen asks the printer (under lock) */
    pthread_t watcher;
    bool watcher_running;
    uint32_t cards_taken; /* bit per card_format_t */
    bool cards_known;     /* the printer has answered once */
    /* admin */
    char config_path[1100];
    uint32_t corner_since; /* a press held in the top-left corner since, or 0 */
    char pin[16];
    int pin_tries;
    uint32_t pin_failed_at;
    char admin_note[256], admin_status[600];
    /* what the admin screen shows, read when it opens and after each action (not per frame) */
    int64_t admin_jobs[8];
    char admin_rows[8][160];
    size_t admin_njobs;
    int64_t admin_totals[LEDGER_RUNGS];
    /* what was measured, for the log at exit: frame and preview times, ms */
    float frame_ms[4096];
    size_t frames;
    float preview_ms[1024];
    size_t previews;
    bool quit;
} ui_t;

/* A monotonic clock in ms with sub-ms resolution, for measuring. */
double ui_clock_ms(void);

/* mm on the panel to UI pixels. */
static inline float ui_mm(const ui_t *u, float mm)
{
    return mm * u->mm;
}

/* Registers a touch target for this frame and draws it as a button. */
void ui_button(ui_t *u, int id, display_rect_t r, const char *label, bool primary);

/* Marks an English text in a table for the catalogs; ui_text() translates it when shown. */
#define N_(text) text

/* A text in the visitor's language (gettext, with the catalogs in assets/po). */
const char *ui_text(const ui_t *u, const char *english);

/* Screens: draw and act. */
void screen_attract_draw(ui_t *u);
void screen_post_draw(ui_t *u);
void screen_post_act(ui_t *u, int id);
void screen_share_draw(ui_t *u);
void screen_letter_draw(ui_t *u);
void screen_letter_act(ui_t *u, int id);
void screen_printing_draw(ui_t *u);
void screen_still_there_draw(ui_t *u);
void screen_message_draw(ui_t *u);
void screen_call_draw(ui_t *u);
void screen_rung_act(ui_t *u, int id);
void screen_pin_draw(ui_t *u);
void screen_admin_draw(ui_t *u);
void screen_admin_act(ui_t *u, int id);

/* The admin's way in: a 3 s press in the top-left corner of the attract screen. */
void ui_admin_corner(ui_t *u, const display_event_t *ev);
void ui_admin_tick(ui_t *u);

/* Queues a test card (the current post, "This is a test card."); 0 or -1. */
int ui_test_print(ui_t *u);

/* "en", "de" or "nl"; and switching the UI's language (gettext) for the visitor. */
const char *ui_lang_code(card_lang_t lang);
void language_set(ui_t *u, const char *lang);

/* The on-screen keyboard in area; its touches and a physical keyboard's keys go to u->edit.
 * ui_keyboard_event() returns true when it took the event. Tick once a frame. */
void ui_keyboard_draw(ui_t *u, display_rect_t area);
bool ui_keyboard_event(ui_t *u, const display_event_t *ev);
void ui_keyboard_tick(ui_t *u);

/* A field's text in area at size_px: wrapped, scrolled to the caret, with the caret blinking
 * when focused, or the hint (muted) while it is empty. Registers it under target id. */
void ui_field_draw(ui_t *u, int id, textedit_t *te, display_rect_t area, float size_px,
                   bool focused, const char *hint);

/* A tap at (x, y) on the field drawn under id: the cursor goes to the nearest character
 * boundary. Returns false when no field was drawn under id in the last frame. */
bool ui_field_tap(ui_t *u, int id, float x, float y);

/* The visitor is done (back to the posts): everything they typed and chose is forgotten, a
 * new session begins, and the attract screen shows. */
void ui_session_end(ui_t *u);

/* Changes screen (and remembers when). */
void ui_screen_set(ui_t *u, screen_t s);

/* Shows a QR code for a link (ui_qr) or a text handed to a phone (ui_qr_text) in r. */
void ui_qr(ui_t *u, const char *url, display_rect_t r);
void ui_qr_text(ui_t *u, const char *text, display_rect_t r);

/* Records a rung for the current post in the ledger and refreshes the counts. Returns
 * ledger_record()'s result. */
int ui_record(ui_t *u, ledger_rung_t rung, const char *text);

/* Takes note of which of cards_offered the printer of st takes (any thread; logs a change). */
void ui_cards_learn(ui_t *u, const printer_status_t *st);

/* The card sizes to offer, in cards_offered order: those the printer takes (all of them until
 * it has answered, or when it takes none). Returns how many (>= 1). */
int ui_cards(ui_t *u, card_format_t out[CONFIG_CARDS]);

/* The current post, or NULL when the feed is empty. */
const feed_post_t *ui_post(const ui_t *u);

#endif
