/* printer-private.h - what printer.c shares with the drivers it picks. */
#ifndef LIKELETTER_PRINTER_PRIVATE_H
#define LIKELETTER_PRINTER_PRIVATE_H

#include "likeletter/printer.h"

#define PRINTER_DEST_MAX 512

struct printer {
    const printer_driver_t *driver;
    char destination[PRINTER_DEST_MAX];
    double timeout; /* seconds per network step */
    void *impl;     /* the driver's own state */
};

extern const printer_driver_t printer_driver_ipp;
extern const printer_driver_t printer_driver_file;

/* Copies src into dst (len bytes), cut at a UTF-8 character boundary. */
void printer_text_copy(char *dst, size_t len, const char *src);

#endif
