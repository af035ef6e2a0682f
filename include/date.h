/* date.h - feed dates to UTC.  Pure: no TZ, no locale, no mktime. */
#ifndef M2J_DATE_H
#define M2J_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Parses an RFC 822 / RFC 2822 date (any zone form: GMT, UT, Z, +0100,
 * EST, PDT, military letters...) or an RFC 3339 / W3C-DTF date (including
 * reduced precision such as "2003-12" or "2003", as feedparser accepts) and
 * stores seconds since the epoch in UTC.  Returns 0, or -1 when the string
 * is not a date it can read without guessing. */
int date_parse(const char *s, int64_t *utc);

/* Formats t as "YYYY-MM-DD HH:MM:SS +0000" (front matter), into out
 * (at least 32 bytes). */
void date_format_fm(int64_t t, char *out, size_t outsz);
/* Formats t as "YYYY-MM-DD" (file name). */
void date_format_ymd(int64_t t, char *out, size_t outsz);
/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" (JSON, state). */
void date_format_iso(int64_t t, char *out, size_t outsz);

#endif
