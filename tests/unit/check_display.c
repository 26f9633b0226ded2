/* check_display.c - the display driver's input, with SDL's offscreen video driver and touch
 * events pushed as a touch panel (the Pi's, under KMSDRM) sends them: a finger is one down and
 * one up, never also the mouse events SDL makes of it; a second finger is ignored while the
 * first is down; a finger maps to the same UI pixels as the mouse at the same place, also with
 * the UI turned for portrait. Xvfb has no touch device, so the window tests cannot do this. */
#include "likeletter/display.h"
#include "testutil.h"

#include <SDL.h>
#include <check.h>
#include <stdlib.h>

#define OUT_W 800
#define OUT_H 480

static display_t *open_display(bool portrait)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    display_config_t cfg = {.title = "likeletter",
                            .width = OUT_W,
                            .height = OUT_H,
                            .portrait = portrait,
                            .font_path = LIKELETTER_TEST_FONT_DEJAVU};
    display_t *d = display_open(&cfg);
    ck_assert_msg(d != NULL, "display_open with the offscreen driver: expected a display");
    display_event_t ev;
    while (display_event_wait(d, &ev, 0)) {
        /* whatever the window's creation queued */
    }
    return d;
}

static void finger_push(Uint32 type, SDL_FingerID id, float x, float y)
{
    SDL_Event e = {.tfinger = {.type = type, .touchId = 1, .fingerId = id, .x = x, .y = y}};
    ck_assert_int_eq(SDL_PushEvent(&e), 1);
}

/* A mouse button event; which is SDL_TOUCH_MOUSEID for those SDL makes of a touch. */
static void button_push(Uint32 type, Uint32 which, int x, int y)
{
    SDL_Event e = {.button = {.type = type,
                              .which = which,
                              .button = SDL_BUTTON_LEFT,
                              .state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED,
                              .x = x,
                              .y = y}};
    ck_assert_int_eq(SDL_PushEvent(&e), 1);
}

/* The pointer events now queued, at most cap. */
static size_t pointer_events(display_t *d, display_event_t *out, size_t cap)
{
    size_t n = 0;
    display_event_t ev;
    while (display_event_wait(d, &ev, 0)) {
        if ((ev.type == DISPLAY_EV_DOWN || ev.type == DISPLAY_EV_UP ||
             ev.type == DISPLAY_EV_MOVE) &&
            n < cap) {
            out[n++] = ev;
        }
    }
    return n;
}

START_TEST(finger_acts_once)
{
    display_t *d = open_display(false);
    /* SDL queues its mouse copy of a touch before the touch itself (SDL_SendTouch). */
    button_push(SDL_MOUSEBUTTONDOWN, SDL_TOUCH_MOUSEID, 200, 240);
    finger_push(SDL_FINGERDOWN, 7, 0.25f, 0.5f);
    button_push(SDL_MOUSEBUTTONUP, SDL_TOUCH_MOUSEID, 200, 240);
    finger_push(SDL_FINGERUP, 7, 0.25f, 0.5f);
    display_event_t ev[8];
    size_t n = pointer_events(d, ev, 8);
    ck_assert_msg(n == 2, "a tap: expected a down and an up, got %zu events", n);
    ck_assert_msg(ev[0].type == DISPLAY_EV_DOWN && ev[1].type == DISPLAY_EV_UP,
                  "a tap: expected down then up, got %d then %d", (int)ev[0].type, (int)ev[1].type);
    ck_assert_msg(ev[0].x == 200 && ev[0].y == 240,
                  "the finger at (0.25, 0.5) of 800x480: "
                  "expected UI (200, 240), got (%g, %g)",
                  (double)ev[0].x, (double)ev[0].y);
    display_close(d);
}
END_TEST

START_TEST(second_finger_ignored)
{
    display_t *d = open_display(false);
    finger_push(SDL_FINGERDOWN, 1, 0.1f, 0.1f);
    finger_push(SDL_FINGERDOWN, 2, 0.9f, 0.9f); /* a palm or a second hand */
    finger_push(SDL_FINGERMOTION, 2, 0.8f, 0.8f);
    finger_push(SDL_FINGERUP, 2, 0.8f, 0.8f);
    finger_push(SDL_FINGERMOTION, 1, 0.125f, 0.1f);
    finger_push(SDL_FINGERUP, 1, 0.125f, 0.1f);
    button_push(SDL_MOUSEBUTTONDOWN, 0, 400, 240); /* a mouse after the touch: works again */
    button_push(SDL_MOUSEBUTTONUP, 0, 400, 240);
    display_event_t ev[8];
    size_t n = pointer_events(d, ev, 8);
    ck_assert_msg(n == 5,
                  "expected the first finger's down, move, up and the mouse's down, "
                  "up: 5 events, got %zu",
                  n);
    ck_assert_msg(ev[1].type == DISPLAY_EV_MOVE && ev[1].x == 100 && ev[2].type == DISPLAY_EV_UP,
                  "expected the first finger's move to x 100 and its up");
    ck_assert_msg(ev[3].type == DISPLAY_EV_DOWN && ev[3].x == 400 && ev[3].y == 240,
                  "expected the mouse's down at (400, 240), got (%g, %g)", (double)ev[3].x,
                  (double)ev[3].y);
    display_close(d);
}
END_TEST

/* Portrait: the UI is turned on the panel; a finger lands where the mouse at the same panel
 * pixel does (the window tests check the mouse's mapping against what is drawn). */
START_TEST(portrait_finger_as_mouse)
{
    display_t *d = open_display(true);
    int32_t w, h;
    display_size(d, &w, &h);
    ck_assert_msg(w == OUT_H && h == OUT_W, "portrait UI: expected %dx%d, got %dx%d", OUT_H, OUT_W,
                  w, h);
    static const int spots[][2] = {{100, 60}, {700, 400}, {400, 240}};
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        int px = spots[i][0], py = spots[i][1];
        button_push(SDL_MOUSEBUTTONDOWN, 0, px, py);
        button_push(SDL_MOUSEBUTTONUP, 0, px, py);
        finger_push(SDL_FINGERDOWN, 3, (float)px / OUT_W, (float)py / OUT_H);
        finger_push(SDL_FINGERUP, 3, (float)px / OUT_W, (float)py / OUT_H);
        display_event_t ev[8];
        size_t n = pointer_events(d, ev, 8);
        ck_assert_msg(n == 4, "spot %zu: expected 4 events, got %zu", i, n);
        ck_assert_msg(ev[2].x == ev[0].x && ev[2].y == ev[0].y,
                      "panel (%d, %d): the mouse maps to UI (%g, %g), the finger to (%g, %g)", px,
                      py, (double)ev[0].x, (double)ev[0].y, (double)ev[2].x, (double)ev[2].y);
        ck_assert_msg(ev[0].x >= 0 && ev[0].x < (float)w && ev[0].y >= 0 && ev[0].y < (float)h,
                      "panel (%d, %d): expected a point inside the %dx%d UI", px, py, w, h);
    }
    display_close(d);
}
END_TEST

static Suite *display_suite(void)
{
    Suite *s = suite_create("display");
    TCase *tc = tcase_create("touch");
    tcase_add_test(tc, finger_acts_once);
    tcase_add_test(tc, second_finger_ignored);
    tcase_add_test(tc, portrait_finger_as_mouse);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(display_suite());
}
