/* date.c - RFC 822 / RFC 2822 and RFC 3339 / W3C-DTF dates to UTC seconds.
 *
 * Pure arithmetic: the calendar is converted with a days-from-civil
 * formula on int64, so years before 1970 and after 2038 work.  Nothing
 * here reads the clock, the TZ variable or the locale.
 */
#include "date.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SECS_PER_DAY 86400

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
static char lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

/* Case-insensitive compare of s[0..n) with the NUL-terminated word. */
static bool word_eq(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (word[i] == '\0' || lower(s[i]) != word[i])
			return false;
	return word[n] == '\0';
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return (m == 2 && is_leap(y)) ? 29 : dm[m - 1];
}

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d: count in
 * 400-year eras that start on March 1st, so the leap day ends an era's year. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;                               /* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

struct tm_parts {
	int64_t year;
	int mon, day, hour, min, sec;
	int off; /* seconds east of UTC */
	bool has_off; /* the string named a zone */
};

static int to_utc(const struct tm_parts *p, int64_t *utc)
{
	int64_t t;

	if (p->year < 0 || p->year > 9999 || p->mon < 1 || p->mon > 12 ||
	    p->day < 1 || p->day > days_in_month(p->year, p->mon) ||
	    p->hour < 0 || p->hour > 23 || p->min < 0 || p->min > 59 ||
	    p->sec < 0 || p->sec > 60)
		return -1;
	t = days_from_civil(p->year, p->mon, p->day) * SECS_PER_DAY +
	    (int64_t)p->hour * 3600 + (int64_t)p->min * 60 + p->sec - p->off;
	/* the zone or a leap second may carry it out of years 0000-9999,
	 * which every formatter (and a post's file name) assumes */
	if (t < days_from_civil(0, 1, 1) * SECS_PER_DAY ||
	    t >= days_from_civil(10000, 1, 1) * SECS_PER_DAY)
		return -1;
	*utc = t;
	return 0;
}

/* Reads exactly n digits. */
static bool digits(const char **sp, int n, int *out)
{
	const char *s = *sp;
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*sp = s + n;
	*out = v;
	return true;
}

/* "+hh:mm", "+hhmm", "+hh" (sign already at **sp).  Hours 0-23, minutes
 * 0-59.  Returns false when malformed. */
static bool numeric_zone(const char **sp, const char *end, int *off)
{
	const char *s = *sp;
	int sign, h, m = 0;

	if (s >= end || (*s != '+' && *s != '-'))
		return false;
	sign = *s == '-' ? -1 : 1;
	s++;
	if (end - s < 2 || !digits(&s, 2, &h))
		return false;
	if (s < end && *s == ':') {
		s++;
		if (end - s < 2 || !digits(&s, 2, &m))
			return false;
	} else if (end - s >= 2 && is_digit(*s)) {
		if (!digits(&s, 2, &m))
			return false;
	}
	if (h > 23 || m > 59)
		return false;
	*off = sign * (h * 3600 + m * 60);
	*sp = s;
	return true;
}

static bool named_zone(const char *s, size_t n, int *off);

/* W3C-DTF / RFC 3339: YYYY[-MM[-DD[(T| )hh:mm[:ss[.f]][zone]]]].  A space
 * may stand before the zone ("2004-07-08 23:56:58 -00:20"). */
static int parse_w3c(const char *s, const char *end, struct tm_parts *out)
{
	struct tm_parts p = { 0, 1, 1, 0, 0, 0, 0, false };
	int y;

	if (end - s < 4 || !digits(&s, 4, &y))
		return -1;
	p.year = y;
	if (s == end)
		goto done;
	if (*s != '-' || end - s < 3)
		return -1;
	s++;
	if (!digits(&s, 2, &p.mon))
		return -1;
	if (s == end)
		goto done;
	if (*s != '-' || end - s < 3)
		return -1;
	s++;
	if (!digits(&s, 2, &p.day))
		return -1;
	if (s == end)
		goto done;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (end - s < 5 || !digits(&s, 2, &p.hour) || *s++ != ':' ||
	    !digits(&s, 2, &p.min))
		return -1;
	if (s < end && *s == ':') {
		s++;
		if (end - s < 2 || !digits(&s, 2, &p.sec))
			return -1;
		if (s < end && (*s == '.' || *s == ',')) {
			s++;
			if (s == end || !is_digit(*s))
				return -1;
			while (s < end && is_digit(*s))
				s++;
		}
	}
	if (s < end && *s == ' ')
		s++;
	if (s < end && is_alpha(*s) && end - s > 1) {
		/* "2013-06-03 17:31:47 UTC": a zone name, as hand-made feeds write */
		int off;
		if (!named_zone(s, (size_t)(end - s), &off))
			return -1;
		p.off = off;
		p.has_off = true;
		s = end;
	} else if (s < end) {
		if (*s == 'Z' || *s == 'z')
			s++;
		else if (!numeric_zone(&s, end, &p.off))
			return -1;
		p.has_off = true;
	}
	if (s != end)
		return -1;
done:
	*out = p;
	return 0;
}

static int month_of(const char *s, size_t n)
{
	static const char *const full[12] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"
	};
	int i;

	for (i = 0; i < 12; i++) {
		if (n == 3 && lower(s[0]) == full[i][0] &&
		    lower(s[1]) == full[i][1] && lower(s[2]) == full[i][2])
			return i + 1;
		if (word_eq(s, n, full[i]))
			return i + 1;
	}
	if (word_eq(s, n, "sept"))
		return 9;
	return 0;
}

static bool is_weekday(const char *s, size_t n)
{
	static const char *const full[7] = {
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday"
	};
	int i;

	for (i = 0; i < 7; i++) {
		if (n == 3 && lower(s[0]) == full[i][0] &&
		    lower(s[1]) == full[i][1] && lower(s[2]) == full[i][2])
			return true;
		if (word_eq(s, n, full[i]))
			return true;
	}
	return false;
}

/* Named zones, offsets in minutes east of UTC.  The US names and UT/GMT
 * are RFC 822's; AT/ET/CT/MT/PT, MET and MEST follow feedparser's table;
 * the rest are common names in real feeds with a single meaning. */
static bool named_zone(const char *s, size_t n, int *off)
{
	static const struct { const char *name; int min; } zones[] = {
		{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 },
		{ "etc/gmt", 0 }, { "etc/utc", 0 }, { "wet", 0 },
		{ "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 },
		{ "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
		{ "at", -240 }, { "et", -300 }, { "ct", -360 }, { "mt", -420 },
		{ "pt", -480 }, { "akst", -540 }, { "akdt", -480 },
		{ "hst", -600 }, { "met", 60 }, { "mest", 120 }, { "cet", 60 },
		{ "cest", 120 }, { "bst", 60 }, { "west", 60 }, { "eet", 120 },
		{ "eest", 180 }, { "msk", 180 }, { "jst", 540 }, { "kst", 540 },
		{ "aest", 600 }, { "aedt", 660 }, { "nzst", 720 }, { "nzdt", 780 },
	};
	size_t i;

	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		if (word_eq(s, n, zones[i].name)) {
			*off = zones[i].min * 60;
			return true;
		}
	}
	/* Military letters, with the signs in use since RFC 1123 (A is
	 * UTC+1 ... M is UTC+12, N is UTC-1 ... Y is UTC-12; J is unused). */
	if (n == 1 && is_alpha(s[0])) {
		char c = lower(s[0]);
		if (c >= 'a' && c <= 'i') { *off = (c - 'a' + 1) * 3600; return true; }
		if (c >= 'k' && c <= 'm') { *off = (c - 'k' + 10) * 3600; return true; }
		if (c >= 'n' && c <= 'y') { *off = -(c - 'n' + 1) * 3600; return true; }
	}
	return false;
}

/* A zone token: named, numeric, or "GMT+hh:mm" / "UTC-hhmm". */
static bool zone_token(const char *s, size_t n, int *off)
{
	const char *end = s + n, *p = s;
	int extra;

	if (named_zone(s, n, off))
		return true;
	if (*s == '+' || *s == '-')
		return numeric_zone(&p, end, off) && p == end;
	if (n > 3 && (word_eq(s, 3, "gmt") || word_eq(s, 3, "utc")) &&
	    (s[3] == '+' || s[3] == '-')) {
		p = s + 3;
		if (!numeric_zone(&p, end, &extra) || p != end)
			return false;
		*off = extra;
		return true;
	}
	return false;
}

/* "h:mm", "hh:mm:ss" (1 or 2 digits each). */
static bool time_token(const char *s, size_t n, struct tm_parts *p)
{
	int v[3] = { 0, 0, 0 }, k = 0, nd = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (is_digit(s[i])) {
			if (++nd > 2)
				return false;
			v[k] = v[k] * 10 + (s[i] - '0');
		} else if (s[i] == ':' && nd > 0 && k < 2) {
			k++;
			nd = 0;
		} else {
			return false;
		}
	}
	if (k < 1 || nd == 0)
		return false;
	p->hour = v[0];
	p->min = v[1];
	p->sec = v[2];
	return true;
}

/* "YYYY/M/D" (Chinese feeds, Perforce). */
static bool slash_date(const char *s, size_t n, struct tm_parts *p)
{
	int v[3] = { 0, 0, 0 }, k = 0, nd = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (is_digit(s[i])) {
			if (++nd > (k == 0 ? 4 : 2))
				return false;
			v[k] = v[k] * 10 + (s[i] - '0');
		} else if (s[i] == '/' && nd > 0 && k < 2) {
			if (k == 0 && nd != 4)
				return false;
			k++;
			nd = 0;
		} else {
			return false;
		}
	}
	if (k != 2 || nd == 0)
		return false;
	p->year = v[0];
	p->mon = v[1];
	p->day = v[2];
	return true;
}

/* RFC 822 / 2822 and its common variants, read as tokens: an optional
 * weekday first (not checked against the date), then day, month name and
 * year in the orders "D Mon Y" or "Mon D Y", an optional time, and a zone
 * after the time (asctime puts the year last: "Mon D T [Z] Y").  No time
 * means midnight; no zone means UTC.  Two-digit years follow RFC 2822
 * (00-49 -> 20xx, 50-99 -> 19xx), three-digit years add 1900. */
static int parse_rfc822(const char *s, const char *end, struct tm_parts *out)
{
	struct tm_parts p = { -1, 0, 0, 0, 0, 0, 0, false };
	bool have_time = false, have_zone = false, have_ampm = false, first = true;
	int ylen = 0;

	/* a trailing comment, as RFC 2822 allows: "+0200 (CEST)" */
	if (end > s && end[-1] == ')') {
		const char *o = end - 1;
		while (o > s && *o != '(')
			o--;
		if (*o == '(' && o > s) {
			end = o;
			while (end > s && is_space(end[-1]))
				end--;
		}
	}
	while (s < end) {
		const char *t;
		size_t n;

		while (s < end && (is_space(*s) || *s == ','))
			s++;
		if (s == end)
			break;
		t = s;
		while (s < end && !is_space(*s) && *s != ',')
			s++;
		n = (size_t)(s - t);
		/* RFC 850: "03-Jun-13", the day, month and year in one token */
		if (is_digit(*t) && n >= 6 && memchr(t, '-', n) && !memchr(t, ':', n) &&
		    p.day == 0 && p.mon == 0 && p.year < 0) {
			const char *d1 = memchr(t, '-', n), *d2;
			size_t i;
			int v = 0;
			d2 = d1 ? memchr(d1 + 1, '-', (size_t)(t + n - d1 - 1)) : NULL;
			if (!d2 || d1 - t > 2 || !month_of(d1 + 1, (size_t)(d2 - d1 - 1)))
				return -1;
			for (i = 0; t + i < d1; i++) {
				if (!is_digit(t[i]))
					return -1;
				p.day = p.day * 10 + (t[i] - '0');
			}
			p.mon = month_of(d1 + 1, (size_t)(d2 - d1 - 1));
			ylen = (int)(t + n - d2 - 1);
			if (ylen < 2 || ylen > 4)
				return -1;
			for (i = 1; d2 + i < t + n; i++) {
				if (!is_digit(d2[i]))
					return -1;
				v = v * 10 + (d2[i] - '0');
			}
			p.year = v;
			first = false;
			continue;
		}
		if (have_time && !have_ampm && n == 2 && (word_eq(t, n, "am") || word_eq(t, n, "pm"))) {
			/* 12-hour clock: 12 AM is 0, 12 PM is 12 */
			if (p.hour < 1 || p.hour > 12)
				return -1;
			p.hour = p.hour % 12 + (lower(t[0]) == 'p' ? 12 : 0);
			have_ampm = true;
			continue;
		}
		if (first && is_alpha(*t) && is_weekday(t, n)) {
			first = false;
			continue;
		}
		first = false;
		if (is_digit(*t) && memchr(t, '/', n)) {
			if (p.year >= 0 || p.mon || p.day || !slash_date(t, n, &p))
				return -1;
			ylen = 4;
		} else if (is_digit(*t) && memchr(t, ':', n)) {
			if (have_time || !time_token(t, n, &p))
				return -1;
			have_time = true;
		} else if (is_digit(*t)) {
			int v = 0;
			size_t i;
			for (i = 0; i < n; i++) {
				if (!is_digit(t[i]) || i >= 4)
					return -1;
				v = v * 10 + (t[i] - '0');
			}
			if (p.day == 0 && n <= 2 && p.year < 0) {
				p.day = v;
			} else if (p.year < 0) {
				p.year = v;
				ylen = (int)n;
			} else {
				return -1;
			}
		} else if (is_alpha(*t) && p.mon == 0 && month_of(t, n)) {
			p.mon = month_of(t, n);
		} else if (have_time && !have_zone && zone_token(t, n, &p.off)) {
			have_zone = true;
			p.has_off = true;
		} else {
			return -1;
		}
	}
	if (p.year < 0 || p.mon == 0 || p.day == 0)
		return -1;
	if (ylen == 2)
		p.year += p.year < 50 ? 2000 : 1900;
	else if (ylen == 3)
		p.year += 1900;
	else if (ylen == 1)
		return -1;
	*out = p;
	return 0;
}

int date_parse(const char *s, int64_t *utc)
{
	return date_parse_tz(s, utc, NULL);
}

int date_parse_tz(const char *s, int64_t *utc, struct date_zone *zone)
{
	struct tm_parts p;
	const char *end;
	int64_t t;

	if (!s)
		return -1;
	while (is_space(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_space(end[-1]))
		end--;
	if (s == end)
		return -1;
	if (end - s >= 4 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) &&
	    is_digit(s[3]) && (end - s == 4 || s[4] == '-')) {
		if (parse_w3c(s, end, &p) < 0)
			return -1;
	} else if (parse_rfc822(s, end, &p) < 0) {
		return -1;
	}
	if (to_utc(&p, &t) < 0)
		return -1;
	/* the local date must be writable too (years 0000-9999) */
	if (p.off && (t + p.off < days_from_civil(0, 1, 1) * SECS_PER_DAY ||
	              t + p.off >= days_from_civil(10000, 1, 1) * SECS_PER_DAY))
		return -1;
	*utc = t;
	if (zone) {
		zone->minutes = p.off / 60;
		zone->known = p.has_off;
	}
	return 0;
}

static void split(int64_t t, int64_t *y, int *mo, int *d, int *h, int *mi, int *se)
{
	int64_t days = t / SECS_PER_DAY, rem = t % SECS_PER_DAY;

	if (rem < 0) {
		rem += SECS_PER_DAY;
		days--;
	}
	civil_from_days(days, y, mo, d);
	*h = (int)(rem / 3600);
	*mi = (int)(rem / 60 % 60);
	*se = (int)(rem % 60);
}

void date_format_fm(int64_t t, char *out, size_t outsz)
{
	date_format_fm_tz(t, 0, out, outsz);
}

void date_format_ymd(int64_t t, char *out, size_t outsz)
{
	date_format_ymd_tz(t, 0, out, outsz);
}

/* An offset the parser cannot produce is written as UTC. */
static int sane_offset(int tzoff)
{
	return tzoff > -24 * 60 && tzoff < 24 * 60 ? tzoff : 0;
}

void date_format_fm_tz(int64_t t, int tzoff, char *out, size_t outsz)
{
	int64_t y;
	int mo, d, h, mi, se, off = sane_offset(tzoff), a = off < 0 ? -off : off;

	split(t + (int64_t)off * 60, &y, &mo, &d, &h, &mi, &se);
	snprintf(out, outsz, "%04lld-%02d-%02d %02d:%02d:%02d %c%02d%02d",
	         (long long)y, mo, d, h, mi, se, off < 0 ? '-' : '+', a / 60, a % 60);
}

void date_format_ymd_tz(int64_t t, int tzoff, char *out, size_t outsz)
{
	int64_t y;
	int mo, d, h, mi, se;

	split(t + (int64_t)sane_offset(tzoff) * 60, &y, &mo, &d, &h, &mi, &se);
	snprintf(out, outsz, "%04lld-%02d-%02d", (long long)y, mo, d);
}

void date_format_iso(int64_t t, char *out, size_t outsz)
{
	int64_t y;
	int mo, d, h, mi, se;

	split(t, &y, &mo, &d, &h, &mi, &se);
	snprintf(out, outsz, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
	         (long long)y, mo, d, h, mi, se);
}
