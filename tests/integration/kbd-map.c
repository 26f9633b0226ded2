/* kbd-map.c - for the window tests: prints where each key of a layout's letter page is, in
 * normalized keyboard coordinates ("TEXT X Y" at the key's centre, one per line; special keys
 * by kind name), so a test can tap the on-screen keyboard like a finger. */
#include "likeletter/keyboard.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    static const char *const kinds[] = {"char",    "space",   "shift", "backspace", "enter",
                                        "symbols", "letters", "left",  "right",     "done"};
    keyboard_layout_t layout = argc > 1 && strcmp(argv[1], "de") == 0   ? KEYBOARD_DE
                               : argc > 1 && strcmp(argv[1], "nl") == 0 ? KEYBOARD_NL
                                                                        : KEYBOARD_EN;
    keyboard_t *kb = keyboard_create(layout);
    const keyboard_key_t *keys;
    size_t n;
    keyboard_keys(kb, &keys, &n, NULL);
    for (size_t i = 0; i < n; i++) {
        printf("%s %.4f %.4f\n",
               keys[i].kind == KEYBOARD_KEY_CHAR ? keys[i].text : kinds[keys[i].kind],
               keys[i].rect.x + keys[i].rect.w / 2, keys[i].rect.y + keys[i].rect.h / 2);
    }
    keyboard_free(kb);
    return 0;
}
