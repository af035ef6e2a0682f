/* test_date.c - date_parse and the formatters: a table of cases, then
 * feedparser's date cases (fixtures/feedparser/dates.tsv). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "harness.h"

static const char *iso(const char *in, char *out, size_t outsz)
{
	int64_t t;

	if (date_parse(in, &t) != 0)
		return "invalid";
	date_format_iso(t, out, outsz);
	return out;
}

struct dcase { const char *in, *want; };

static const struct dcase cases[] = {
	/* Medium's own form */
	{ "Thu, 03 Feb 2022 09:12:44 GMT", "2022-02-03T09:12:44Z" },
	/* zone forms */
	{ "Thu, 03 Feb 2022 09:12:44 UT", "2022-02-03T09:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 UTC", "2022-02-03T09:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 Z", "2022-02-03T09:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 +0100", "2022-02-03T08:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 -0530", "2022-02-03T14:42:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 +05:30", "2022-02-03T03:42:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 EST", "2022-02-03T14:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 EDT", "2022-02-03T13:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 CST", "2022-02-03T15:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 MDT", "2022-02-03T15:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 PST", "2022-02-03T17:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 PDT", "2022-02-03T16:12:44Z" },
	/* military letters (RFC 1123 signs: A = +1, N = -1, Z = 0) */
	{ "Thu, 03 Feb 2022 09:12:44 A", "2022-02-03T08:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 M", "2022-02-02T21:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 N", "2022-02-03T10:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 Y", "2022-02-03T21:12:44Z" },
	{ "Thu, 03 Feb 2022 09:12:44 J", "invalid" },
	/* two-digit years, RFC 2822: 00-49 -> 20xx, 50-99 -> 19xx */
	{ "Thu, 03 Feb 22 09:12:44 GMT", "2022-02-03T09:12:44Z" },
	{ "Fri, 03 Feb 71 09:12:44 GMT", "1971-02-03T09:12:44Z" },
	{ "03 Feb 49 00:00 GMT", "2049-02-03T00:00:00Z" },
	{ "03 Feb 50 00:00 GMT", "1950-02-03T00:00:00Z" },
	/* missing seconds, weekday; lowercase month; full names */
	{ "Thu, 03 Feb 2022 09:12 GMT", "2022-02-03T09:12:00Z" },
	{ "03 Feb 2022 09:12:44 GMT", "2022-02-03T09:12:44Z" },
	{ "thu, 03 feb 2022 09:12:44 gmt", "2022-02-03T09:12:44Z" },
	{ "Thursday, 3 February 2022 09:12:44 GMT", "2022-02-03T09:12:44Z" },
	{ "Thu, 3 Sept 2020 09:12:44 GMT", "2020-09-03T09:12:44Z" },
	/* day-of-week mismatch is accepted (the date wins) */
	{ "Mon, 03 Feb 2022 09:12:44 GMT", "2022-02-03T09:12:44Z" },
	/* leap years */
	{ "Tue, 29 Feb 2000 12:00:00 GMT", "2000-02-29T12:00:00Z" },
	{ "Thu, 29 Feb 2024 12:00:00 GMT", "2024-02-29T12:00:00Z" },
	{ "Fri, 29 Feb 2019 12:00:00 GMT", "invalid" },
	{ "Thu, 29 Feb 1900 12:00:00 GMT", "invalid" },
	{ "2100-02-29", "invalid" },
	/* before 1970, after 2038 */
	{ "Mon, 20 Jul 1969 20:17:40 GMT", "1969-07-20T20:17:40Z" },
	{ "1901-12-13T20:45:51Z", "1901-12-13T20:45:51Z" },
	{ "Tue, 19 Jan 2038 03:14:08 GMT", "2038-01-19T03:14:08Z" },
	{ "2150-06-01T00:00:00+02:00", "2150-05-31T22:00:00Z" },
	/* negative offsets crossing midnight, month and year */
	{ "2021-12-31T23:30:00-01:00", "2022-01-01T00:30:00Z" },
	{ "Fri, 31 Dec 2021 20:00:00 -0800", "2022-01-01T04:00:00Z" },
	/* RFC 3339 / W3C-DTF */
	{ "2022-02-03T09:12:44Z", "2022-02-03T09:12:44Z" },
	{ "2022-02-03T09:12:44.123456+00:00", "2022-02-03T09:12:44Z" },
	{ "2022-02-03t09:12:44z", "2022-02-03T09:12:44Z" },
	{ "2022-02-03T09:12Z", "2022-02-03T09:12:00Z" },
	{ "  2022-02-03T09:12:44Z\n", "2022-02-03T09:12:44Z" },
	/* asctime and "Y/M/D" forms */
	{ "Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06Z" },
	{ "2020/1/10 14:33:00", "2020-01-10T14:33:00Z" },
	/* forms of hand-made feeds: a comment after the zone, a 12-hour
	 * clock, RFC 850 dashes, a zone name after a W3C time */
	{ "Sun, 19 May 2002 15:21:36 +0200 (CEST)", "2002-05-19T13:21:36Z" },
	{ "Sun, 19 May 2002 15:21:36 GMT (Greenwich)", "2002-05-19T15:21:36Z" },
	{ "Mon, 3 Jun 2013 5:31 PM EST", "2013-06-03T22:31:00Z" },
	{ "Mon, 3 Jun 2013 12:05 AM GMT", "2013-06-03T00:05:00Z" },
	{ "Mon, 3 Jun 2013 13:05 PM GMT", "invalid" },
	{ "Monday, 03-Jun-13 17:31:47 GMT", "2013-06-03T17:31:47Z" },
	{ "03-Jun-2013 17:31:47 +0100", "2013-06-03T16:31:47Z" },
	{ "03-Foo-2013 17:31:47 GMT", "invalid" },
	{ "2013-06-03 17:31:47 UTC", "2013-06-03T17:31:47Z" },
	{ "2013-06-03 17:31:47 EST", "2013-06-03T22:31:47Z" },
	{ "2013-06-03 17:31:47 XYZ", "invalid" },
	{ "Sun, 19 May 2002 15:21:36 (no zone)", "2002-05-19T15:21:36Z" },
	/* unreadable: never a guess */
	{ "", "invalid" },
	{ "   ", "invalid" },
	{ "yesterday", "invalid" },
	{ "Thu, 03 Feb 2022 09:12:44 XYZ", "invalid" },
	{ "Thu, 32 Jan 2022 09:12:44 GMT", "invalid" },
	{ "Thu, 03 Feb 2022 24:00:00 GMT", "invalid" },
	{ "Thu, 03 Feb 2022 09:12:44 GMT extra", "invalid" },
	{ "03 Feb", "invalid" },
	{ "2022-13-01", "invalid" },
	{ "2022-02-03T09:12:44+25:00", "invalid" },
};

static void test_table(void)
{
	char out[40];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		STR_EQ(iso(cases[i].in, out, sizeof out), cases[i].want,
		       "date_parse(\"%s\")", cases[i].in);
}

static void test_format(void)
{
	char out[40];
	int64_t t;

	date_format_fm(1643879564, out, sizeof out);
	STR_EQ(out, "2022-02-03 09:12:44 +0000", "date_format_fm");
	date_format_ymd(1643879564, out, sizeof out);
	STR_EQ(out, "2022-02-03", "date_format_ymd");
	date_format_iso(-1, out, sizeof out);
	STR_EQ(out, "1969-12-31T23:59:59Z", "date_format_iso before the epoch");
	INT_EQ(date_parse("Thu, 01 Jan 1970 00:00:00 GMT", &t), 0, "epoch parses");
	INT_EQ(t, 0, "epoch is 0");
	INT_EQ(date_parse("9999-12-31T23:59:59Z", &t), 0, "year 9999 parses");
	INT_EQ(t, INT64_C(253402300799), "year 9999 is int64");
	OK(date_parse(NULL, &t) == -1, "NULL is invalid");
}

/* date_parse_tz: the offset the string carried, and the local formats
 * (issue 14: a Blogger post of 23:15 -08:00 is dated the 14th). */
static void test_zone(void)
{
	static const struct { const char *in; int min; int known; const char *fm, *ymd; } z[] = {
		{ "Fri, 14 Dec 2007 23:15:00 -0800", -480, 1, "2007-12-14 23:15:00 -0800", "2007-12-14" },
		{ "2007-12-14T23:15:00-08:00", -480, 1, "2007-12-14 23:15:00 -0800", "2007-12-14" },
		{ "Thu, 03 Feb 2022 09:12:44 GMT", 0, 1, "2022-02-03 09:12:44 +0000", "2022-02-03" },
		{ "2022-02-03T09:12:44Z", 0, 1, "2022-02-03 09:12:44 +0000", "2022-02-03" },
		{ "Thu, 03 Feb 2022 23:12:44 +05:30", 330, 1, "2022-02-03 23:12:44 +0530", "2022-02-03" },
		{ "Thu, 03 Feb 2022 00:30:00 +1345", 825, 1, "2022-02-03 00:30:00 +1345", "2022-02-03" },
		{ "Thu, 03 Feb 2022 09:12:44 EST", -300, 1, "2022-02-03 09:12:44 -0500", "2022-02-03" },
		{ "Thu, 03 Feb 2022 09:12:44", 0, 0, "2022-02-03 09:12:44 +0000", "2022-02-03" },
		{ "2003-12", 0, 0, "2003-12-01 00:00:00 +0000", "2003-12-01" },
		{ "2004-07-08 23:56:58 -00:20", -20, 1, "2004-07-08 23:56:58 -0020", "2004-07-08" },
	};
	struct date_zone dz;
	char fm[40], ymd[16];
	int64_t t;
	size_t i;

	for (i = 0; i < sizeof z / sizeof z[0]; i++) {
		dz.minutes = 99;
		dz.known = true;
		if (date_parse_tz(z[i].in, &t, &dz) != 0) {
			OK(0, "date_parse_tz(\"%s\") parses", z[i].in);
			continue;
		}
		INT_EQ(dz.minutes, z[i].min, "date_parse_tz(\"%s\") minutes", z[i].in);
		INT_EQ(dz.known, z[i].known, "date_parse_tz(\"%s\") known", z[i].in);
		date_format_fm_tz(t, dz.minutes, fm, sizeof fm);
		date_format_ymd_tz(t, dz.minutes, ymd, sizeof ymd);
		STR_EQ(fm, z[i].fm, "date_format_fm_tz(\"%s\")", z[i].in);
		STR_EQ(ymd, z[i].ymd, "date_format_ymd_tz(\"%s\")", z[i].in);
	}
	OK(date_parse_tz("Thu, 03 Feb 2022 09:12:44 GMT", &t, NULL) == 0, "zone may be NULL");
	/* the local date must stay within years 0000-9999 */
	OK(date_parse_tz("9999-12-31T23:00:00-02:00", &t, &dz) != 0,
	   "UTC in 9999 but local date in 10000 refused");
	OK(date_parse_tz("0000-01-01T01:00:00+02:00", &t, &dz) != 0,
	   "local date in year 0, UTC before it: refused");
	date_format_fm_tz(0, 24 * 60, fm, sizeof fm);
	STR_EQ(fm, "1970-01-01 00:00:00 +0000", "an offset of a day is written as UTC");
}

/* Cases of dates.tsv where this parser deliberately differs from the
 * named feedparser function, with the reason. */
static const struct { const char *in, *why; } differ[] = {
	/* iso8601: the ISO 8601 shortcuts of feedparser's iso8601 parser
	 * (2-digit years in the current century, ordinal days, year-less
	 * forms) are not feed dates; reading them would be a guess. */
	{ "-0312", "ISO 8601 year-less/2-digit form: not accepted" },
	{ "031231", "ISO 8601 2-digit year, basic form: not accepted" },
	{ "03-12-31", "ISO 8601 2-digit year: not accepted" },
	{ "-03-12", "ISO 8601 year-less form: not accepted" },
	{ "03335", "ISO 8601 ordinal date with 2-digit year: not accepted" },
	{ "2003-012-31T10:14:55+00:00", "3-digit month: not accepted" },
	/* Localised parsers (Greek, Hungarian, Korean): not supported. */
	{ "\xce\x9a\xcf\x85\xcf\x81, 11 \xce\x99\xce\xbf\xcf\x8d\xce\xbb 2004 12:00:00 EST",
	  "Greek month names: not supported" },
	{ "2004-j\xc3\xbalius-13T9:15-05:00", "Hungarian month names: not supported" },
	{ "2004-05-25 \xec\x98\xa4\xed\x9b\x84 11:23:17", "Korean (Nate) form: not supported" },
	{ "2004\xeb\x85\x84 05\xec\x9b\x94 28\xec\x9d\xbc  01:31:15",
	  "Korean (OnBlog) form: not supported" },
};

static const char *differs(const char *in)
{
	size_t i;

	for (i = 0; i < sizeof differ / sizeof differ[0]; i++)
		if (strcmp(differ[i].in, in) == 0)
			return differ[i].why;
	return NULL;
}

/* Undoes the TSV escapes (\\ \t \n \r \xHH) in place. */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			if (*s == 't') *w++ = '\t';
			else if (*s == 'n') *w++ = '\n';
			else if (*s == 'r') *w++ = '\r';
			else if (*s == 'x' && s[1] && s[2]) {
				char hex[3] = { s[1], s[2], 0 };
				*w++ = (char)strtol(hex, NULL, 16);
				s += 2;
			} else *w++ = *s;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static void test_feedparser(void)
{
	static const char *const kinds[] = { "rfc822", "w3dtf", "iso8601", "asctime",
		"perforce", "greek", "hungarian", "nate", "onblog" };
	int pass[9] = { 0 }, total[9] = { 0 };
	struct buf b = BUF_INIT(0);
	char path[4096], *line, *next;
	const char *root = getenv("M2J_ROOT");
	size_t k;

	snprintf(path, sizeof path, "%s/fixtures/feedparser/dates.tsv", root ? root : ".");
	if (buf_read_file(&b, path) != 0) {
		OK(0, "read %s", path);
		return;
	}
	line = b.data;
	next = strchr(line, '\n'); /* header */
	for (line = next ? next + 1 : NULL; line && *line; line = next) {
		char *f[5] = { line, NULL, NULL, NULL, NULL }, out[40];
		const char *got, *why;
		int i;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		for (i = 1; i < 5; i++) {
			char *tab = f[i - 1] ? strchr(f[i - 1], '\t') : NULL;
			if (!tab)
				break;
			*tab = '\0';
			f[i] = tab + 1;
		}
		if (!f[2])
			continue;
		unescape(f[0]);
		for (k = 0; k < 9; k++)
			if (strcmp(f[2], kinds[k]) == 0)
				break;
		if (k == 9)
			continue;
		total[k]++;
		got = iso(f[0], out, sizeof out);
		why = differs(f[0]);
		if (strcmp(got, f[1]) == 0) {
			pass[k]++;
			OK(why == NULL, "feedparser %s \"%s\" -> %s", f[2], f[0], got);
		} else if (why) {
			printf("SKIP: feedparser %s \"%s\": want %s, got %s: differs on purpose: %s\n",
			       f[2], f[0], f[1], got, why);
		} else {
			STR_EQ(got, f[1], "feedparser %s \"%s\"", f[2], f[0]);
		}
	}
	buf_release(&b);
	for (k = 0; k < 9; k++)
		if (total[k])
			printf("INFO: feedparser %s: %d/%d (%d%%)\n", kinds[k], pass[k],
			       total[k], 100 * pass[k] / total[k]);
	OK(total[0] && pass[0] * 10 >= total[0] * 9, "feedparser rfc822: %d/%d = %d%% (>= 90%%)",
	   pass[0], total[0], total[0] ? 100 * pass[0] / total[0] : 0);
	OK(total[1] && pass[1] * 10 >= total[1] * 9, "feedparser w3dtf: %d/%d = %d%% (>= 90%%)",
	   pass[1], total[1], total[1] ? 100 * pass[1] / total[1] : 0);
}

int main(void)
{
	test_table();
	test_format();
	test_zone();
	test_feedparser();
	return HARNESS_END();
}
