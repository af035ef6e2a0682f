/* utf8.c - UTF-8 validation and repair (see utf8.h). */
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

long utf8_decode(const char *s, size_t n, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp, min;
	size_t need, i;

	*len = 1;
	if (n == 0)
		return -1;
	if (p[0] < 0x80)
		return p[0];
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 1; cp = p[0] & 0x1Fu; min = 0x80;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 2; cp = p[0] & 0x0Fu; min = 0x800;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 3; cp = p[0] & 0x07u; min = 0x10000;
	} else {
		return -1;
	}
	if (n < need + 1)
		return -1;
	for (i = 1; i <= need; i++) {
		if ((p[i] & 0xC0u) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3Fu);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*len = need + 1;
	return (long)cp;
}

size_t utf8_encode(unsigned long cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The length of the run of ASCII bytes at s (at most n), eight at a time. */
static size_t ascii_run(const char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			break;
	}
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

bool utf8_valid(const char *s, size_t n)
{
	size_t i = 0, len;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i += ascii_run(s + i, n - i);
			continue;
		}
		if (utf8_decode(s + i, n - i, &len) < 0)
			return false;
		i += len;
	}
	return true;
}

int utf8_repair(struct buf *out, const char *s, size_t n)
{
	static const char repl[] = "\xEF\xBF\xBD";
	size_t i = 0, run = 0, len;

	/* Copies runs of valid bytes in one add; an invalid byte becomes
	 * U+FFFD and a NUL is dropped. */
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c != 0 && c < 0x80) {
			i++;
			continue;
		}
		if (c != 0 && utf8_decode(s + i, n - i, &len) >= 0) {
			i += len;
			continue;
		}
		buf_add(out, s + run, i - run);
		if (c != 0)
			buf_add(out, repl, 3);
		i++;
		run = i;
	}
	buf_add(out, s + run, i - run);
	return out->failed ? -1 : 0;
}

char *utf8_strdup_repair(const char *s, size_t n)
{
	struct buf b = BUF_INIT(0);
	char *r;

	if (utf8_repair(&b, s, n) < 0) {
		buf_release(&b);
		return NULL;
	}
	r = buf_detach(&b, NULL);
	return r;
}
