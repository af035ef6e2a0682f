/* utf8.h - UTF-8 validation and repair. */
#ifndef M2J_UTF8_H
#define M2J_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* True when s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t n);
/* Appends s[0..n) to out with every invalid sequence replaced by U+FFFD
 * and NUL bytes dropped.  Returns 0 or -1 (out->failed). */
int utf8_repair(struct buf *out, const char *s, size_t n);
/* Returns a malloc'd, repaired, NUL-terminated copy (NULL on OOM). */
char *utf8_strdup_repair(const char *s, size_t n);
/* Decodes one code point at s (n bytes left); sets *len to the bytes used.
 * Returns the code point, or -1 for an invalid sequence (*len = 1). */
long utf8_decode(const char *s, size_t n, size_t *len);
/* Encodes cp into out (4 bytes at least); returns the length. */
size_t utf8_encode(unsigned long cp, char *out);

#endif
