/* date.h - feed dates to UTC.  Pure: no TZ, no locale, no mktime. */
#ifndef M2J_DATE_H
#define M2J_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The UTC offset a date string carried. */
struct date_zone {
	int minutes; /* east of UTC (-0800 is -480); 0 when !known */
	bool known;  /* the string named a zone (GMT, Z, +0100, EST...);
	                false when it had none and UTC was assumed */
};

/* Parses an RFC 822 / RFC 2822 date (any zone form: GMT, UT, Z, +0100,
 * EST, PDT, military letters...) or an RFC 3339 / W3C-DTF date (including
 * reduced precision such as "2003-12" or "2003", as feedparser accepts) and
 * stores seconds since the epoch in UTC.  Returns 0, or -1 when the string
 * is not a date it can read without guessing. */
int date_parse(const char *s, int64_t *utc);
/* Like date_parse, and stores the zone the string carried in *zone (may
 * be NULL).  Also -1 when the local date (utc + offset) falls outside
 * years 0000-9999. */
int date_parse_tz(const char *s, int64_t *utc, struct date_zone *zone);

/* Formats t as "YYYY-MM-DD HH:MM:SS +0000" (front matter), into out
 * (at least 32 bytes). */
void date_format_fm(int64_t t, char *out, size_t outsz);
/* Formats t as "YYYY-MM-DD" (file name). */
void date_format_ymd(int64_t t, char *out, size_t outsz);
/* The same at UTC offset tzoff (minutes east; date_zone.minutes): the
 * local time and its offset, "2007-12-14 23:15:00 -0800", and the local
 * date "2007-12-14".  An offset of a day or more is written as UTC. */
void date_format_fm_tz(int64_t t, int tzoff, char *out, size_t outsz);
void date_format_ymd_tz(int64_t t, int tzoff, char *out, size_t outsz);
/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" (JSON, state). */
void date_format_iso(int64_t t, char *out, size_t outsz);

#endif
