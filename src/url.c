/* url.c - URL sanitizing and resolution (see url.h). */
#include "url.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "caps.h"

const char *const url_default_iframe_hosts[] = {
	"medium.com", "cdn.embedly.com", "www.youtube.com", "youtube.com",
	"www.youtube-nocookie.com", "player.vimeo.com", "gist.github.com",
	"codepen.io", "open.spotify.com", "w.soundcloud.com",
	"www.slideshare.net", "platform.twitter.com", "embed.ted.com",
	"docs.google.com", "www.google.com", "giphy.com", "bandcamp.com",
	"observablehq.com", "datawrapper.dwcdn.net", "jsfiddle.net",
	"codesandbox.io", "glitch.com", "www.loom.com", "player.twitch.tv",
	"www.instagram.com", "www.facebook.com", "www.figma.com",
	"www.blogger.com", "www.dailymotion.com", "w.soundcloud.com",
	"www.tiktok.com", "player.simplecast.com", "anchor.fm", NULL
};

static char lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ieq_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]) || !b[i])
			return false;
	return true;
}

/* Schemes a link may keep besides http(s): none can run script in a
 * browser (issue 13). */
static bool link_scheme(const char *s, size_t sl)
{
	static const char *const ok[] = { "mailto", "tel", "sms", "ftp", "xmpp", "geo",
	                                  "magnet", "irc", "ircs", "news", NULL };

	for (size_t i = 0; ok[i]; i++)
		if (strlen(ok[i]) == sl && ieq_n(s, ok[i], sl))
			return true;
	return false;
}

/* Length of the scheme ("http" -> 4) or 0 when there is no ':' before the
 * first '/', '?' or '#'.  *bogus is set when there is a colon there but
 * the text before it is not a well-formed scheme. */
static size_t scheme_len(const char *s, bool *bogus)
{
	size_t i;
	*bogus = false;
	for (i = 0; s[i] && s[i] != ':'; i++)
		if (s[i] == '/' || s[i] == '?' || s[i] == '#')
			return 0;
	if (s[i] != ':')
		return 0;
	if (i == 0 || !is_alpha((unsigned char)s[0])) {
		*bogus = true;
		return 0;
	}
	for (size_t k = 1; k < i; k++) {
		unsigned char c = (unsigned char)s[k];
		if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' &&
		    c != '-' && c != '.') {
			*bogus = true;
			return 0;
		}
	}
	return i;
}

/* Browser-style clean-up: drop tab/LF/CR everywhere, trim C0 and space. */
static int clean(const char *raw, struct buf *b)
{
	const char *a = raw, *z = raw + strlen(raw);
	while (a < z && (unsigned char)*a <= 0x20)
		a++;
	while (z > a && (unsigned char)z[-1] <= 0x20)
		z--;
	for (const char *p = a; p < z; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			buf_addch(b, *p);
	return b->failed ? -1 : 0;
}

static bool data_image_ok(const char *s, size_t len)
{
	static const char *const types[] = {
		"data:image/png", "data:image/gif", "data:image/jpeg",
		"data:image/webp", NULL
	};
	if (len > CAP_DATA_URL_LEN)
		return false;
	for (size_t i = 0; types[i]; i++) {
		size_t n = strlen(types[i]);
		if (ieq_n(s, types[i], n) && (s[n] == ';' || s[n] == ','))
			return true;
	}
	return false;
}

/* Removes "." and ".." segments from path[0..n) appended to out. */
static void add_path(struct buf *out, const char *path, size_t n)
{
	size_t root = out->len;
	size_t i = 0;
	while (i < n) {
		size_t j = i + 1;
		while (j < n && path[j] != '/')
			j++;
		/* segment path[i..j), starting with '/' */
		if (j - i == 2 && path[i + 1] == '.') {
			if (j == n)
				buf_addch(out, '/');
		} else if (j - i == 3 && path[i + 1] == '.' && path[i + 2] == '.') {
			size_t k = out->len;
			while (k > root && out->data[k - 1] != '/')
				k--;
			if (k > root)
				k--;
			buf_truncate(out, k);
			if (j == n)
				buf_addch(out, '/');
		} else {
			buf_add(out, path + i, j - i);
		}
		i = j;
	}
}

/* Resolves the relative reference ref against the absolute http(s) base. */
static void resolve(const char *base, const char *ref, struct buf *out)
{
	size_t sl, auth_end, path_end, k;
	bool bogus;

	sl = scheme_len(base, &bogus);
	/* authority */
	k = sl + 3;
	auth_end = k;
	while (base[auth_end] && base[auth_end] != '/' && base[auth_end] != '?' &&
	       base[auth_end] != '#')
		auth_end++;
	path_end = auth_end;
	while (base[path_end] && base[path_end] != '?' && base[path_end] != '#')
		path_end++;

	if (ref[0] == '/' && ref[1] == '/') {
		buf_add(out, base, sl + 1);
		buf_addstr(out, ref);
		return;
	}
	buf_add(out, base, auth_end);
	if (ref[0] == '/') {
		size_t q = strcspn(ref, "?#");
		add_path(out, ref, q);
		buf_addstr(out, ref + q);
		return;
	}
	if (ref[0] == '?') {
		buf_add(out, base + auth_end, path_end - auth_end);
		buf_addstr(out, ref);
		return;
	}
	{
		/* merge: base path up to its last '/', then ref */
		struct buf tmp = BUF_INIT(0);
		size_t last = path_end;
		size_t q;
		while (last > auth_end && base[last - 1] != '/')
			last--;
		if (last == auth_end)
			buf_addch(&tmp, '/');
		else
			buf_add(&tmp, base + auth_end, last - auth_end);
		q = strcspn(ref, "?#");
		buf_add(&tmp, ref, q);
		add_path(out, tmp.data, tmp.len);
		buf_addstr(out, ref + q);
		if (tmp.failed)
			out->failed = true;
		buf_release(&tmp);
	}
}

static bool base_ok(const char *base)
{
	bool bogus;
	size_t sl;
	if (!base || !*base)
		return false;
	sl = scheme_len(base, &bogus);
	return ((sl == 4 && ieq_n(base, "http", 4)) ||
	        (sl == 5 && ieq_n(base, "https", 5))) &&
	       base[sl + 1] == '/' && base[sl + 2] == '/';
}

int url_sanitize(const char *raw, const char *base, enum url_use use,
                 char **out, struct m2j_err *err)
{
	struct buf b = BUF_INIT(0), r = BUF_INIT(0);
	size_t sl;
	bool bogus;
	int rc = 0;

	*out = NULL;
	if (!raw)
		return m2j_err_set(err, M2J_EUNSAFE, "no URL");
	if (clean(raw, &b) < 0) {
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
		goto done;
	}
	if (b.len == 0) {
		rc = m2j_err_set(err, M2J_EUNSAFE, "empty URL");
		goto done;
	}
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];
		if (c < 0x20 || c == 0x7f) {
			rc = m2j_err_set(err, M2J_EUNSAFE,
			                 "control character in URL");
			goto done;
		}
	}
	sl = scheme_len(b.data, &bogus);
	{
		/* "&#106;avascript:" or "java%73cript:": an entity or escape in
		 * what reads as a scheme is a disguise (a renderer may decode it) */
		size_t k = strcspn(b.data, ":/?");
		if (b.data[k] == ':' && strcspn(b.data, "&%") < k)
			bogus = true;
	}
	if (bogus) {
		rc = m2j_err_set(err, M2J_EUNSAFE, "malformed scheme in URL %.80s",
		                 b.data);
		goto done;
	}
	if (sl > 0) {
		bool ok = (sl == 4 && ieq_n(b.data, "http", 4)) ||
		          (sl == 5 && ieq_n(b.data, "https", 5)) ||
		          (use == URL_LINK && link_scheme(b.data, sl)) ||
		          (sl == 4 && use == URL_IMAGE && ieq_n(b.data, "data", 4) &&
		           data_image_ok(b.data, b.len));
		if (!ok) {
			rc = m2j_err_set(err, M2J_EUNSAFE, "scheme not allowed: %.*s",
			                 (int)(sl < 40 ? sl : 40), b.data);
			goto done;
		}
		if (b.len > CAP_URL_LEN && !(sl == 4 && use == URL_IMAGE)) {
			rc = m2j_err_set(err, M2J_EUNSAFE, "URL too long");
			goto done;
		}
		if (sl == 4 && ieq_n(b.data, "http", 4) && b.data[5] == '/' &&
		    b.data[6] == '/') {
			/* http:\\ or http:/\ are read as http:// by browsers: fine */
		}
		*out = buf_detach(&b, NULL);
		if (!*out)
			rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
		goto done;
	}
	if (b.len > CAP_URL_LEN) {
		rc = m2j_err_set(err, M2J_EUNSAFE, "URL too long");
		goto done;
	}
	/* relative: backslash is a slash for http(s) */
	for (size_t i = 0; i < b.len; i++) {
		if (b.data[i] == '#' || b.data[i] == '?')
			break;
		if (b.data[i] == '\\')
			b.data[i] = '/';
	}
	if (b.data[0] != '#' && base_ok(base)) { /* a bare fragment stays as is */
		resolve(base, b.data, &r);
		*out = r.failed ? NULL : buf_detach(&r, NULL);
	} else if (b.data[0] == '/' && b.data[1] == '/') {
		buf_addstr(&r, "https:");
		buf_add(&r, b.data, b.len);
		*out = r.failed ? NULL : buf_detach(&r, NULL);
	} else {
		*out = buf_detach(&b, NULL);
	}
	if (!*out)
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
done:
	buf_release(&b);
	buf_release(&r);
	return rc;
}

bool url_embed_allowed(const char *url, const char *const *hosts)
{
	const char *h, *e;
	size_t hl;

	if (!url || !ieq_n(url, "https://", 8))
		return false;
	if (!hosts)
		hosts = url_default_iframe_hosts;
	h = url + 8;
	e = h;
	while (*e && *e != '/' && *e != '?' && *e != '#' && *e != ':') {
		if (*e == '@' || *e == '\\')
			return false;
		e++;
	}
	if (*e == ':') { /* a port: check it is digits and no userinfo */
		const char *p = e + 1;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p && *p != '/' && *p != '?' && *p != '#')
			return false;
	}
	hl = (size_t)(e - h);
	if (hl > 0 && h[hl - 1] == '.')
		hl--;
	for (size_t i = 0; hosts[i]; i++) {
		size_t n = strlen(hosts[i]);
		if (hl == n && ieq_n(h, hosts[i], n))
			return true;
		if (hl > n && h[hl - n - 1] == '.' && ieq_n(h + hl - n, hosts[i], n))
			return true;
	}
	return false;
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alnum_ascii(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

bool url_starts_reference(const char *s, size_t len, size_t i)
{
	size_t j = i + 1;

	if (j < len && s[j] == '#')
		return true;
	while (j < len && is_alnum_ascii((unsigned char)s[j]))
		j++;
	return j < len && s[j] == ';' && j > i + 1;
}

int url_serialize(const char *u, struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char special[] = "\"'<>`\\|[](){}";

	size_t len = strlen(u);

	for (const unsigned char *p = (const unsigned char *)u; *p; p++) {
		unsigned char c = *p;
		bool enc = c <= 0x20 || c == 0x7f || strchr(special, c) != NULL ||
		           (c == '%' && !(is_hex(p[1]) && is_hex(p[2]))) ||
		           (c == '&' && url_starts_reference(u, len, (size_t)((const char *)p - u)));

		/* C1 controls: U+0080..U+009F are 0xC2 0x80..0x9F in UTF-8 */
		if (c == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			char e[7] = { '%', 'C', '2', '%', hex[p[1] >> 4], hex[p[1] & 15], 0 };

			buf_addstr(out, e);
			p++;
			continue;
		}
		if (enc) {
			char e[4] = { '%', hex[c >> 4], hex[c & 15], 0 };

			buf_addstr(out, e);
		} else {
			buf_addch(out, c);
		}
	}
	return out->failed ? -1 : 0;
}
