/* utf8.h - strict UTF-8 validation and decoding for notes typed at the kiosk or read from files.
 *
 * Every byte of a note is checked before anything else sees it: utf8_check() accepts exactly the
 * well-formed sequences of Unicode's table 3-7 (no overlong forms, no surrogates U+D800..DFFF,
 * nothing above U+10FFFF, no sequence cut short), and utf8_control_check() also refuses control
 * characters. Offsets are byte offsets from s, for messages like "invalid UTF-8 at byte 17".
 *
 * Nothing here allocates or logs; every function only reads s[0..len) (s need not be
 * NUL-terminated, and a NUL byte is just U+0000). All functions are thread-safe.
 */
#ifndef LIKELETTER_UTF8_H
#define LIKELETTER_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu /* what utf8_decode() yields for bytes that are not UTF-8 */

/* Validates s[0..len). Returns 0 when all of it is well-formed UTF-8 (len 0 included), or -1 and,
 * when bad_offset is not NULL, the offset of the first byte of the first ill-formed sequence: a
 * byte that cannot start a sequence (0x80..0xC1, 0xF5..0xFF), or the lead byte of a sequence that
 * is overlong, encodes a surrogate or a value above U+10FFFF, or is cut short (by a byte that is
 * not a continuation byte, or by the end of the text). */
int utf8_check(const char *s, size_t len, size_t *bad_offset);

/* Decodes the code point starting at s[0] into *cp and returns the bytes it takes (1..4); returns
 * 0 (and leaves *cp alone) when len is 0. Meant for text utf8_check() accepted; on anything else
 * it never reads past len and yields UTF8_REPLACEMENT for one byte, so a loop still ends. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Validates like utf8_check() and also refuses control characters: C0 (U+0000..U+001F) except
 * \t and \n, DEL (U+007F) and C1 (U+0080..U+009F). \r is refused too: callers reading files with
 * CRLF line ends normalise them first. U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR are
 * accepted (phones paste them): the layout treats them as \n and as a paragraph break, and never
 * hands them to the shaper. Returns 0, or -1 with the offset of the first refused byte (the
 * control character's first byte, or the ill-formed sequence's as in utf8_check()). */
int utf8_control_check(const char *s, size_t len, size_t *bad_offset);

/* True for the code points that end a line in a note: \n, U+2028 and U+2029. */
bool utf8_is_line_break(uint32_t cp);

#endif
