/* slug.c - title -> ASCII slug (see slug.h). */
#include "slug.h"
#include "caps.h"
#include "utf8.h"

#include <string.h>

/* ASCII for U+00C0..U+017F (Latin-1 Supplement and Latin Extended-A);
 * NULL where there is no letter to keep. */
static const char *const latin[] = {
	/* C0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* D0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
	/* E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* F0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
	/* 100 */ "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
	/* 110 */ "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	/* 120 */ "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
	/* 130 */ "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
	/* 140 */ "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
	/* 150 */ "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
	/* 160 */ "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
	/* 170 */ "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

/* Pinyin tone letters U+01CD..U+01DC. */
static const char *const pinyin[] = {
	"a", "a", "i", "i", "o", "o", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u"
};

/* Other Latin letters met in titles (Latin Extended-B, Vietnamese...). */
static const char *fold_other(unsigned long cp)
{
	if (cp == 0x0192) return "f";
	if (cp >= 0x01CD && cp <= 0x01DC) return pinyin[cp - 0x01CD];
	if (cp == 0x0218 || cp == 0x0219) return "s"; /* Romanian comma-s */
	if (cp == 0x021A || cp == 0x021B) return "t";
	if (cp >= 0x1EA0 && cp <= 0x1EB7) return "a";
	if (cp >= 0x1EB8 && cp <= 0x1EC7) return "e";
	if (cp >= 0x1EC8 && cp <= 0x1ECB) return "i";
	if (cp >= 0x1ECC && cp <= 0x1EE3) return "o";
	if (cp >= 0x1EE4 && cp <= 0x1EF1) return "u";
	if (cp >= 0x1EF2 && cp <= 0x1EF9) return "y";
	return NULL;
}

size_t slug_make(const char *title, char *out, size_t outsz)
{
	size_t n = strlen(title), i = 0, len = 0, limit;
	int pending = 0; /* a separator is waiting to be written */

	limit = outsz ? outsz - 1 : 0;
	if (limit > CAP_SLUG_LEN + 1)
		limit = CAP_SLUG_LEN + 1; /* one past, to see where the cut falls */
	while (i < n && len < limit) {
		size_t used;
		long cp = utf8_decode(title + i, n - i, &used);
		const char *rep = NULL;
		char one[2] = { 0, 0 };

		i += used;
		if (cp >= 'A' && cp <= 'Z') {
			one[0] = (char)(cp + 32);
			rep = one;
		} else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			one[0] = (char)cp;
			rep = one;
		} else if (cp >= 0xC0 && cp <= 0x17F) {
			rep = latin[cp - 0xC0];
		} else if (cp > 0x17F) {
			rep = fold_other((unsigned long)cp);
		}
		/* anything else separates words, apostrophes included, as in
		 * Jekyll's own slugify ("don't" -> "don-t") */
		if (!rep) {
			pending = len > 0;
			continue;
		}
		if (pending && len < limit) {
			out[len++] = '-';
			pending = 0;
		}
		while (*rep && len < limit)
			out[len++] = *rep++;
	}
	if (len > CAP_SLUG_LEN) {
		/* cut at the last hyphen that keeps it within the cap, unless the
		 * cap falls exactly on a word end */
		size_t cut = CAP_SLUG_LEN;

		if (out[CAP_SLUG_LEN] != '-') {
			while (cut > 0 && out[cut - 1] != '-')
				cut--;
			if (cut == 0)
				cut = CAP_SLUG_LEN;
		}
		len = cut;
	}
	while (len > 0 && out[len - 1] == '-')
		len--;
	if (outsz)
		out[len] = '\0';
	return len;
}
