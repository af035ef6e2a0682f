#include "harness.h"
#include "caps.h"
#include "slug.h"

#include <string.h>

static void check(const char *title, const char *want)
{
	char out[CAP_SLUG_LEN + 2];

	slug_make(title, out, sizeof out);
	STR_EQ(out, want, "slug: %.40s", title);
}

int main(void)
{
	char longt[400], out[CAP_SLUG_LEN + 2];
	size_t n;
	int i;

	check("We can \xE2\x80\x98level up\xE2\x80\x99 by transforming commissioning",
	      "we-can-level-up-by-transforming-commissioning");
	check("Hello, World!", "hello-world");
	check("  --Leading and trailing--  ", "leading-and-trailing");
	check("Cr\xC3\xA8" "me br\xC3\xBB" "l\xC3\xA9" "e \xC3\xA0 la fran\xC3\xA7" "aise", "creme-brulee-a-la-francaise");
	check("Stra\xC3\x9F" "e und \xC3\x86sir \xC5\x92uvre \xC5\x81\xC3\xB3" "d\xC5\xBA", "strasse-und-aesir-oeuvre-lodz");
	check("T\xC3\xBCrk\xC3\xA7" "e \xC4\x9F\xC4\xB1\xC5\x9F", "turkce-gis");
	check("Ti\xE1\xBA\xBF" "ng Vi\xE1\xBB\x87" "t", "tieng-viet");
	check("\xE4\xB8\xAD\xE6\x96\x87\xE6\xA0\x87\xE9\xA2\x98", "");
	check("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82", "");
	check("C++ & C# in 2024: what's new?", "c-c-in-2024-what-s-new");
	check("../../etc/passwd", "etc-passwd");
	check("---", "");
	check("a\xFF\xFE" "b", "a-b");
	check("emoji \xF0\x9F\x9A\x80 rocket", "emoji-rocket");
	/* 80-character cut at a hyphen */
	strcpy(longt, "");
	for (i = 0; i < 30; i++)
		strcat(longt, "word ");
	n = slug_make(longt, out, sizeof out);
	OK(n <= CAP_SLUG_LEN && out[n - 1] != '-', "slug: long title cut to %zu", n);
	STR_EQ(out + n - 4, "word", "slug: long title cut at a hyphen");
	memset(longt, 'x', 200);
	longt[200] = '\0';
	n = slug_make(longt, out, sizeof out);
	INT_EQ(n, CAP_SLUG_LEN, "slug: one long word is cut hard at the cap");
	/* exactly 80 then a hyphen: kept whole */
	memset(longt, 'y', 80);
	strcpy(longt + 80, " tail");
	n = slug_make(longt, out, sizeof out);
	INT_EQ(n, 80, "slug: cap falling on a word end keeps the word");
	return HARNESS_END();
}
