/* app.h - the kiosk program (`likeletter kiosk`): the screens, the visitor's session and the
 * print worker, on the display driver. */
#ifndef LIKELETTER_APP_H
#define LIKELETTER_APP_H

#include "likeletter/config.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct app_options {
    const config_t *cfg;
    const char *config_path;  /* where the admin screen saves changed settings */
    const char *db_path;      /* the state's database (queue, ledger) */
    const char *feed;         /* --feed, overriding the config's; NULL: the config's */
    const char *localedir;    /* where the gettext catalogs are */
    const char *ui_font_bold; /* NULL: the regular UI font */
    bool windowed;            /* --windowed: not full screen, whatever the config says */
    int32_t width, height;    /* windowed size */
} app_options_t;

/* Runs until SIGTERM (or the admin's exit). Returns the exit status. */
int app_run(const app_options_t *o);

#endif
