/* ident.c - post identity (see ident.h). */
#include "ident.h"

#include <string.h>

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static char lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

/* host of url: [*hs, *he); false without "scheme://" */
static bool host_of(const char *url, const char **hs, const char **he)
{
	const char *p = strstr(url, "://"), *e;

	if (!p)
		return false;
	p += 3;
	e = p + strcspn(p, "/?#");
	{
		const char *at = memchr(p, '@', (size_t)(e - p));
		if (at)
			p = at + 1;
	}
	*hs = p;
	*he = p + strcspn(p, ":/?#");
	if (*he > e)
		*he = e;
	return true;
}

static bool host_is_medium(const char *hs, const char *he)
{
	size_t n = (size_t)(he - hs), i;
	char h[256];

	if (n >= sizeof h)
		return false;
	for (i = 0; i < n; i++)
		h[i] = lower(hs[i]);
	h[n] = '\0';
	return strcmp(h, "medium.com") == 0 ||
	       (n > 11 && strcmp(h + n - 11, ".medium.com") == 0);
}

bool ident_medium_id(const char *url, bool strict, char id[13])
{
	const char *hs, *he, *path, *end, *seg, *p;
	size_t n;

	if (!url || !host_of(url, &hs, &he))
		return false;
	if (strict && !host_is_medium(hs, he))
		return false;
	path = he + strcspn(he, "/?#");
	end = path + strcspn(path, "?#");
	while (end > path && end[-1] == '/')
		end--;
	seg = end;
	while (seg > path && seg[-1] != '/')
		seg--;
	/* the id is the whole segment after /p/, or follows the last '-' */
	p = end;
	while (p > seg && p[-1] != '-')
		p--;
	if (p == seg && !(seg - path >= 3 && memcmp(seg - 3, "/p/", 3) == 0))
		return false;
	n = (size_t)(end - p);
	if (n < 10 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_hex(p[i]))
			return false;
	memcpy(id, p, n);
	id[n] = '\0';
	return true;
}

static bool tracking_param(const char *k, size_t n)
{
	return (n == 6 && memcmp(k, "source", 6) == 0) || (n > 4 && memcmp(k, "utm_", 4) == 0);
}

int ident_link_norm(const char *url, struct buf *out)
{
	const char *hs, *he, *q, *frag, *p;
	bool first = true;
	size_t i;

	frag = url + strcspn(url, "#");
	q = memchr(url, '?', (size_t)(frag - url));
	if (host_of(url, &hs, &he)) {
		for (p = url; p < he; p++)
			buf_addch(out, lower(*p));
	} else {
		he = url;
	}
	buf_add(out, he, (size_t)((q ? q : frag) - he));
	if (q) {
		p = q + 1;
		while (p < frag) {
			const char *amp = memchr(p, '&', (size_t)(frag - p));
			const char *e = amp ? amp : frag;
			size_t klen = strcspn(p, "=&#");

			if (klen > (size_t)(e - p))
				klen = (size_t)(e - p);
			if (e > p && !tracking_param(p, klen)) {
				buf_addch(out, first ? '?' : '&');
				first = false;
				for (i = 0; i < (size_t)(e - p); i++)
					buf_addch(out, p[i]);
			}
			p = amp ? amp + 1 : frag;
		}
	}
	return out->failed ? -1 : 0;
}
