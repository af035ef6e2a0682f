/* slug.h - title -> ASCII slug.  Pure. */
#ifndef M2J_SLUG_H
#define M2J_SLUG_H

#include <stddef.h>

/* Writes the slug of title into out (outsz >= CAP_SLUG_LEN + 1): Latin
 * accents folded to ASCII, lowercase, every run of other characters one
 * hyphen, no leading or trailing hyphen, at most CAP_SLUG_LEN bytes cut at
 * a hyphen.  Returns its length (0 when the title yields nothing). */
size_t slug_make(const char *title, char *out, size_t outsz);

#endif
