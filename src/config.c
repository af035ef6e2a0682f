/* config.c - the `sync` configuration file (see config.h). */
#include "config.h"
#include "postopt.h"
#include "buf.h"
#include "caps.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct ctx {
	const char *path;
	const char *text;
	size_t len;
	yaml_document_t *doc;
	struct config *c;
	struct m2j_err *err;
};

static int failv(struct ctx *x, unsigned long line, unsigned long col,
                 const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static int failv(struct ctx *x, unsigned long line, unsigned long col,
                 const char *fmt, va_list ap)
{
	char msg[M2J_ERR_MSG];

	vsnprintf(msg, sizeof msg, fmt, ap);
	return m2j_err_set(x->err, M2J_EUSAGE, "%s:%lu:%lu: %s", x->path, line, col, msg);
}

/* Reports a problem at a libyaml mark (0-based) as FILE:LINE:COLUMN. */
static int fail(struct ctx *x, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ctx *x, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = failv(x, (unsigned long)m.line + 1, (unsigned long)m.column + 1, fmt, ap);
	va_end(ap);
	return rc;
}

static int oom(struct ctx *x)
{
	return m2j_err_set(x->err, M2J_ENOMEM, "%s: out of memory", x->path);
}

static char *dupn(const char *s, size_t n)
{
	return strndup(s, n);
}

static char *dup0(const char *s)
{
	return dupn(s, strlen(s));
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (lower((unsigned char)*a) != lower((unsigned char)*b))
			return false;
	return *a == *b;
}

static const char *kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "a value";
	}
}

/* The scalar's text (NUL-terminated by libyaml). */
static const char *sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_null(const yaml_node_t *n)
{
	const char *v = sval(n);

	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !v[0] || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	       strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

/* A scalar that must be a plain, non-empty string.  allow_null: a null
 * value leaves *out NULL. */
static int get_str(struct ctx *x, const char *key, yaml_node_t *n, bool allow_null,
                   char **out)
{
	char *v;

	if (n->type != YAML_SCALAR_NODE)
		return fail(x, n->start_mark, "%s: expected a string, got %s", key, kind_name(n));
	if (is_null(n)) {
		if (allow_null) {
			free(*out);
			*out = NULL;
			return 0;
		}
		return fail(x, n->start_mark, "%s: missing value", key);
	}
	if (strlen(sval(n)) != n->data.scalar.length)
		return fail(x, n->start_mark, "%s: contains a NUL byte", key);
	if (!n->data.scalar.length)
		return fail(x, n->start_mark, "%s: must not be empty", key);
	if (!(v = dup0(sval(n))))
		return oom(x);
	free(*out);
	*out = v;
	return 0;
}

/* Decimal digits with an optional sign, nothing else. */
static int parse_long(const char *s, long *out)
{
	const char *p = s;
	char *end;
	long v;

	if (*p == '+' || *p == '-')
		p++;
	if (!*p)
		return -1;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || end == s)
		return -1;
	if (errno == ERANGE)
		v = s[0] == '-' ? LONG_MIN : LONG_MAX; /* then out of range */
	*out = v;
	return 0;
}

static int get_long(struct ctx *x, const char *key, yaml_node_t *n, long min, long max,
                    long *out)
{
	long v;

	if (n->type != YAML_SCALAR_NODE)
		return fail(x, n->start_mark, "%s: expected an integer, got %s", key, kind_name(n));
	if (is_null(n))
		return fail(x, n->start_mark, "%s: missing value", key);
	if (parse_long(sval(n), &v))
		return fail(x, n->start_mark, "%s: expected an integer, got \"%.60s\"", key, sval(n));
	if (v < min || v > max)
		return fail(x, n->start_mark, "%s: %.60s is out of range (%ld..%ld)", key, sval(n),
		            min, max);
	*out = v;
	return 0;
}

static int get_int(struct ctx *x, const char *key, yaml_node_t *n, int min, int max, int *out)
{
	long v = 0;
	int rc = get_long(x, key, n, min, max, &v);

	if (!rc)
		*out = (int)v;
	return rc;
}

static int get_bool(struct ctx *x, const char *key, yaml_node_t *n, bool *out)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE)
		return fail(x, n->start_mark, "%s: expected true or false, got %s", key, kind_name(n));
	v = sval(n);
	if (ieq(v, "true") || ieq(v, "yes"))
		*out = true;
	else if (ieq(v, "false") || ieq(v, "no"))
		*out = false;
	else
		return fail(x, n->start_mark, "%s: expected true or false, got \"%.60s\"", key, v);
	return 0;
}

/* A byte count: an integer, or a number with a k/M/G suffix (powers of
 * 1024), optionally followed by "B" or "iB": 20M, 512k, 1GiB, "20 MB". */
static int parse_size(const char *s, size_t *out)
{
	unsigned long long v = 0, mult = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -2;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (*p == ' ')
		p++;
	switch (*p) {
	case 'k': case 'K':
		mult = 1024;
		p++;
		break;
	case 'm': case 'M':
		mult = 1024ULL * 1024;
		p++;
		break;
	case 'g': case 'G':
		mult = 1024ULL * 1024 * 1024;
		p++;
		break;
	default:
		break;
	}
	if (mult > 1 && p[0] == 'i' && p[1] == 'B')
		p += 2;
	else if (*p == 'B' || (mult == 1 && *p == 'b'))
		p++;
	if (*p)
		return -1;
	if (v > ULLONG_MAX / mult)
		return -2;
	v *= mult;
	if (v > SIZE_MAX)
		return -2;
	*out = (size_t)v;
	return 0;
}

static int get_size(struct ctx *x, const char *key, yaml_node_t *n, size_t *out)
{
	size_t v = 0;
	int r;

	if (n->type != YAML_SCALAR_NODE)
		return fail(x, n->start_mark, "%s: expected a size, got %s", key, kind_name(n));
	r = parse_size(sval(n), &v);
	if (r == -1)
		return fail(x, n->start_mark,
		            "%s: expected a size such as 20M, 512k or 1048576, got \"%.60s\"",
		            key, sval(n));
	if (r == -2 || v < CONFIG_MIN_MAX_SIZE || v > CONFIG_MAX_MAX_SIZE)
		return fail(x, n->start_mark, "%s: %.60s is out of range (1k..1G)", key, sval(n));
	*out = v;
	return 0;
}

/* Checks a mapping: every key a scalar, no key twice. */
static int check_mapping(struct ctx *x, yaml_node_t *map)
{
	yaml_node_pair_t *p, *q;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(x->doc, p->key);

		if (!k || k->type != YAML_SCALAR_NODE)
			return fail(x, k ? k->start_mark : map->start_mark,
			            "a key must be a plain word, not %s", k ? kind_name(k) : "nothing");
		for (q = map->data.mapping.pairs.start; q < p; q++) {
			yaml_node_t *k2 = yaml_document_get_node(x->doc, q->key);

			if (k2 && k2->type == YAML_SCALAR_NODE && strcmp(sval(k), sval(k2)) == 0)
				return fail(x, k->start_mark, "duplicate key \"%.60s\" (first at line %lu)",
				            sval(k), (unsigned long)k2->start_mark.line + 1);
		}
	}
	return 0;
}

static bool is_url_char(unsigned char c)
{
	return c > 0x20 && c != 0x7f;
}

/* Accepts http://HOST..., https://HOST... and file://...; returns the length
 * of the scheme, or 0 when the URL is not acceptable. */
static size_t url_scheme(const char *u)
{
	static const char *const schemes[] = { "http", "https", "file" };
	size_t i, n;
	const char *p;

	for (p = u; *p; p++)
		if (!is_url_char((unsigned char)*p))
			return 0;
	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t j;

		n = strlen(schemes[i]);
		if (strlen(u) <= n + 3 || memcmp(u + n, "://", 3) != 0)
			continue;
		for (j = 0; j < n; j++)
			if (lower((unsigned char)u[j]) != (unsigned char)schemes[i][j])
				break;
		if (j < n)
			continue;
		p = u + n + 3;
		if (i < 2 && (*p == '/' || *p == '?' || *p == '#' || *p == ':' || *p == '@'))
			return 0; /* no host */
		return n;
	}
	return 0;
}

/* The URL as compared for duplicates: scheme and host lower-cased, trailing
 * slashes dropped.  Caller frees. */
static char *url_key(const char *u)
{
	size_t n = strlen(u), i, end;
	char *k = dupn(u, n);
	bool host = false;

	if (!k)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!host && k[i] == ':' && k[i + 1] == '/' && k[i + 2] == '/') {
			host = true;
			i += 2;
			continue;
		}
		if (host && (k[i] == '/' || k[i] == '?' || k[i] == '#'))
			break;
		k[i] = (char)lower((unsigned char)k[i]);
	}
	end = n;
	while (end > 0 && k[end - 1] == '/')
		end--;
	k[end] = '\0';
	return k;
}

static bool medium_name_ok(const char *s)
{
	const char *p;

	if (!*s)
		return false;
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* A post option key (postopt.h) at site or feed level: 0 handled, 1 not
 * such a key, else the error. */
static int post_key(struct ctx *x, const char *key, yaml_node_t *k, yaml_node_t *v,
                    struct config_post *cp)
{
	struct m2j_err e = { 0, "" };
	bool b = false;
	int rc;

	if (strcmp(key, "tags") == 0 || strcmp(key, "canonical") == 0 ||
	    strcmp(key, "clean") == 0) {
		if ((rc = get_bool(x, key, v, &b)))
			return rc;
		*(key[0] == 't' ? &cp->tags : key[1] == 'a' ? &cp->canonical : &cp->clean) = b;
		return 0;
	}
	if (strcmp(key, "member_only") == 0) {
		enum post_member_only m;

		if (v->type != YAML_SCALAR_NODE || postopt_member_only(sval(v), &m, &e))
			return fail(x, v->start_mark, "member_only: expected stub or skip");
		cp->member_only = (int)m;
		return 0;
	}
	if (strcmp(key, "fields") == 0) {
		yaml_node_item_t *it;

		cp->fields_set = true;
		if (v->type == YAML_SCALAR_NODE) {
			if (postopt_fields(sval(v), &cp->fields, &e))
				return fail(x, v->start_mark, "fields: %s", e.msg);
			return 0;
		}
		if (v->type != YAML_SEQUENCE_NODE)
			return fail(x, v->start_mark, "fields: expected a list, got %s", kind_name(v));
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			yaml_node_t *n = yaml_document_get_node(x->doc, *it);

			if (!n || n->type != YAML_SCALAR_NODE)
				return fail(x, v->start_mark, "fields: expected a list of names");
			if (postopt_fields(sval(n), &cp->fields, &e))
				return fail(x, n->start_mark, "fields: %s", e.msg);
		}
		return 0;
	}
	if (strcmp(key, "field") == 0) {
		yaml_node_pair_t *p;
		size_t n;

		if (v->type != YAML_MAPPING_NODE)
			return fail(x, v->start_mark, "field: expected a mapping of keys to values");
		n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
		if (n > POSTOPT_MAX_EXTRA)
			return fail(x, v->start_mark, "field: at most %d keys", POSTOPT_MAX_EXTRA);
		cp->extra_keys = calloc(n + 1, sizeof *cp->extra_keys);
		cp->extra_values = calloc(n + 1, sizeof *cp->extra_values);
		if (!cp->extra_keys || !cp->extra_values)
			return oom(x);
		for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
			yaml_node_t *fk = yaml_document_get_node(x->doc, p->key);
			yaml_node_t *fv = yaml_document_get_node(x->doc, p->value);

			if (!fk || fk->type != YAML_SCALAR_NODE || !postopt_key_ok(sval(fk)))
				return fail(x, (fk ? fk : v)->start_mark,
				            "field: \"%.60s\" is not a key we may add (letters, digits, _ "
				            "and -; not one of the keys we write)", fk ? sval(fk) : "");
			if (!fv || fv->type != YAML_SCALAR_NODE)
				return fail(x, (fv ? fv : fk)->start_mark, "field: %s: expected a string",
				            sval(fk));
			if (!(cp->extra_keys[cp->nextra] = dup0(sval(fk))) ||
			    !(cp->extra_values[cp->nextra] = dup0(sval(fv))))
				return oom(x);
			cp->nextra++;
		}
		return check_mapping(x, v);
	}
	if (strcmp(key, "announce") == 0) {
		yaml_node_item_t *it;
		size_t n, i = 0;
		int arc;

		cp->announce_set = true;
		if (v->type == YAML_SCALAR_NODE && (strcmp(sval(v), "false") == 0 || !sval(v)[0]))
			return 0; /* switched off */
		if (v->type != YAML_SEQUENCE_NODE)
			return fail(x, v->start_mark, "announce: expected a list of {dir, template}, "
			            "or false");
		n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
		if (n > 64)
			return fail(x, v->start_mark, "announce: at most 64 entries");
		if (n && !(cp->announce = calloc(n, sizeof *cp->announce)))
			return oom(x);
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++, i++) {
			yaml_node_t *en = yaml_document_get_node(x->doc, *it);
			yaml_node_pair_t *p;

			if (!en || en->type != YAML_MAPPING_NODE)
				return fail(x, (en ? en : v)->start_mark,
				            "announce: expected a mapping {dir: DIR, template: TEXT}");
			cp->nannounce = i + 1;
			if (check_mapping(x, en))
				return x->err->code;
			for (p = en->data.mapping.pairs.start; p < en->data.mapping.pairs.top; p++) {
				yaml_node_t *ak = yaml_document_get_node(x->doc, p->key);
				yaml_node_t *av = yaml_document_get_node(x->doc, p->value);
				const char *an = ak && ak->type == YAML_SCALAR_NODE ? sval(ak) : "";

				if (!av)
					return fail(x, en->start_mark, "announce: broken entry");
				if (strcmp(an, "dir") == 0)
					arc = get_str(x, "dir", av, false, &cp->announce[i].dir);
				else if (strcmp(an, "template") == 0)
					arc = get_str(x, "template", av, false, &cp->announce[i].template);
				else
					return fail(x, (ak ? ak : en)->start_mark,
					            "announce: unknown key \"%.60s\" (dir, template)", an);
				if (arc)
					return arc;
			}
			if (!cp->announce[i].dir || !cp->announce[i].template)
				return fail(x, en->start_mark, "announce: each entry needs dir and template");
		}
		return 0;
	}
	if (strcmp(key, "images") == 0)
		return get_str(x, key, v, false, &cp->images);
	if (strcmp(key, "images_url") == 0)
		return get_str(x, key, v, false, &cp->images_url);
	(void)k;
	return 1;
}

static void post_init(struct config_post *cp)
{
	cp->tags = cp->canonical = cp->clean = cp->member_only = -1;
}

static void post_free(struct config_post *cp)
{
	size_t i;

	for (i = 0; i < cp->nextra; i++) {
		free(cp->extra_keys[i]);
		free(cp->extra_values[i]);
	}
	free(cp->extra_keys);
	free(cp->extra_values);
	free(cp->images);
	free(cp->images_url);
	for (i = 0; i < cp->nannounce; i++) {
		free(cp->announce[i].dir);
		free(cp->announce[i].template);
	}
	free(cp->announce);
}

static int feed_entry(struct ctx *x, yaml_node_t *n, struct config_feed *f)
{
	yaml_node_pair_t *p;
	yaml_node_t *url = NULL, *medium = NULL;
	int rc;

	f->include_responses = -1;
	post_init(&f->post);
	f->line = (unsigned)n->start_mark.line + 1;
	f->column = (unsigned)n->start_mark.column + 1;
	if (n->type != YAML_MAPPING_NODE)
		return fail(x, n->start_mark,
		            "feeds: each entry must be a mapping with url: or medium:, got %s",
		            n->type == YAML_SCALAR_NODE ? "a plain value" : kind_name(n));
	if ((rc = check_mapping(x, n)))
		return rc;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(x->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(x->doc, p->value);
		const char *key = sval(k);

		if (!v)
			return fail(x, k->start_mark, "%s: missing value", key);
		if (strcmp(key, "url") == 0) {
			url = v;
			rc = get_str(x, "url", v, false, &f->url);
		} else if (strcmp(key, "medium") == 0) {
			medium = v;
			rc = get_str(x, "medium", v, false, &f->medium);
		} else if (strcmp(key, "author") == 0)
			rc = get_str(x, "author", v, true, &f->author);
		else if (strcmp(key, "output") == 0)
			rc = get_str(x, "output", v, false, &f->output);
		else if (strcmp(key, "layout") == 0)
			rc = get_str(x, "layout", v, false, &f->layout);
		else if (strcmp(key, "include_responses") == 0) {
			bool b = false;

			rc = get_bool(x, "include_responses", v, &b);
			f->include_responses = b;
		} else if ((rc = post_key(x, key, k, v, &f->post)) == 1)
			rc = fail(x, k->start_mark,
			          "unknown key \"%.60s\" in a feed entry (known: url, medium, "
			          "author, output, layout, include_responses, tags, canonical, clean, "
			          "fields, field, member_only, images, images_url)", key);
		if (rc)
			return rc;
	}
	if (url && medium)
		return fail(x, n->start_mark, "feed entry has both url: and medium: (give one)");
	if (!url && !medium)
		return fail(x, n->start_mark, "feed entry has neither url: nor medium:");
	if (url) {
		if (!url_scheme(f->url))
			return fail(x, url->start_mark,
			            "url: not an http, https or file URL: \"%.200s\"", f->url);
	} else {
		const char *name = f->medium[0] == '@' ? f->medium + 1 : f->medium;
		struct buf b = BUF_INIT(0);

		if (!medium_name_ok(name))
			return fail(x, medium->start_mark,
			            "medium: not a Medium user name: \"%.100s\"", f->medium);
		memmove(f->medium, name, strlen(name) + 1);
		buf_addstr(&b, "https://medium.com/feed/@");
		buf_addstr(&b, f->medium);
		if (b.failed) {
			buf_release(&b);
			return oom(x);
		}
		f->url = buf_detach(&b, NULL);
		if (!f->url)
			return oom(x);
	}
	return 0;
}

static int feeds_list(struct ctx *x, yaml_node_t *seq)
{
	struct config *c = x->c;
	yaml_node_item_t *it;
	size_t n, i, j;
	char **keys;
	int rc = 0;

	if (seq->type != YAML_SEQUENCE_NODE)
		return fail(x, seq->start_mark, "feeds: expected a list of feeds, got %s",
		            seq->type == YAML_SCALAR_NODE && is_null(seq) ? "nothing"
		                                                         : kind_name(seq));
	n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	if (n == 0)
		return fail(x, seq->start_mark, "feeds: the list is empty");
	c->feeds = calloc(n, sizeof *c->feeds);
	keys = calloc(n, sizeof *keys);
	if (!c->feeds || !keys) {
		free(keys);
		return oom(x);
	}
	for (it = seq->data.sequence.items.start, i = 0; i < n; it++, i++) {
		yaml_node_t *e = yaml_document_get_node(x->doc, *it);

		c->nfeeds = i + 1;
		if (!e) {
			rc = fail(x, seq->start_mark, "feeds: empty entry");
			break;
		}
		if ((rc = feed_entry(x, e, &c->feeds[i])))
			break;
		if (!c->feeds[i].url) { /* feed_entry() sets it when it returns 0 */
			rc = m2j_err_set(x->err, M2J_EINTERNAL, "%s: feed entry without a url",
			                 x->path);
			break;
		}
		if (!(keys[i] = url_key(c->feeds[i].url))) {
			rc = oom(x);
			break;
		}
		for (j = 0; j < i; j++)
			if (strcmp(keys[i], keys[j]) == 0)
				break;
		if (j < i) {
			rc = fail(x, e->start_mark, "duplicate feed %.200s (first at line %u)",
			          c->feeds[i].url, c->feeds[j].line);
			break;
		}
	}
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

/* A relative path in the config (the state file, output folders) is taken
 * relative to the folder of the config file, so a run from elsewhere
 * (`sync -c site/medium2jekyll.yml`) reads and writes the same files. */
static int resolve_path(struct ctx *x, const char *path, char **field, const char *what)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	struct buf b = BUF_INIT(CAP_PATH_LEN);

	if (!*field || (*field)[0] == '/' || !slash)
		return 0;
	buf_add(&b, path, (size_t)(slash - path) + 1);
	buf_addstr(&b, *field);
	if (b.failed) {
		int too_big = b.too_big;

		buf_release(&b);
		if (too_big)
			return m2j_err_set(x->err, M2J_EUSAGE, "%s: %s path too long", x->path, what);
		return oom(x);
	}
	free(*field);
	*field = buf_detach(&b, NULL);
	return *field ? 0 : oom(x);
}

static int resolve_paths(struct ctx *x, const char *path)
{
	struct config *c = x->c;
	size_t i;
	int rc;

	if ((rc = resolve_path(x, path, &c->state, "state")) ||
	    (rc = resolve_path(x, path, &c->output, "output")))
		return rc;
	if ((rc = resolve_path(x, path, &c->post.images, "images")))
		return rc;
	for (i = 0; i < c->post.nannounce; i++)
		if ((rc = resolve_path(x, path, &c->post.announce[i].dir, "announce dir")))
			return rc;
	for (i = 0; i < c->nfeeds; i++) {
		struct config_post *fp = &c->feeds[i].post;
		size_t j;

		if ((rc = resolve_path(x, path, &c->feeds[i].output, "output")) ||
		    (rc = resolve_path(x, path, &fp->images, "images")))
			return rc;
		for (j = 0; j < fp->nannounce; j++)
			if ((rc = resolve_path(x, path, &fp->announce[j].dir, "announce dir")))
				return rc;
	}
	return 0;
}

static int top(struct ctx *x, yaml_node_t *root)
{
	struct config *c = x->c;
	yaml_node_pair_t *p;
	yaml_node_t *feeds = NULL;
	long l = 0;
	int rc;

	if (root->type != YAML_MAPPING_NODE)
		return fail(x, root->start_mark,
		            "expected a mapping of settings (key: value) with a feeds: list, got %s",
		            kind_name(root));
	if ((rc = check_mapping(x, root)))
		return rc;
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(x->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(x->doc, p->value);
		const char *key = sval(k);

		if (!v)
			return fail(x, k->start_mark, "%s: missing value", key);
		if (strcmp(key, "feeds") == 0) {
			feeds = v;
			rc = 0;
		} else if (strcmp(key, "output") == 0)
			rc = get_str(x, key, v, false, &c->output);
		else if (strcmp(key, "layout") == 0)
			rc = get_str(x, key, v, false, &c->layout);
		else if (strcmp(key, "state") == 0)
			rc = get_str(x, key, v, false, &c->state);
		else if (strcmp(key, "user_agent") == 0)
			rc = get_str(x, key, v, true, &c->user_agent);
		else if (strcmp(key, "author") == 0)
			rc = get_str(x, key, v, true, &c->author);
		else if (strcmp(key, "concurrency") == 0)
			rc = get_int(x, key, v, 1, CONFIG_MAX_CONCURRENCY, &c->concurrency);
		else if (strcmp(key, "per_host") == 0)
			rc = get_int(x, key, v, 1, CONFIG_MAX_PER_HOST, &c->per_host);
		else if (strcmp(key, "failures_before_report") == 0)
			rc = get_int(x, key, v, 1, INT_MAX, &c->failures_before_report);
		else if (strcmp(key, "timeout") == 0) {
			if (!(rc = get_long(x, key, v, 1, CONFIG_MAX_TIMEOUT, &l)))
				c->timeout = l;
		} else if (strcmp(key, "connect_timeout") == 0) {
			if (!(rc = get_long(x, key, v, 1, CONFIG_MAX_TIMEOUT, &l)))
				c->connect_timeout = l;
		} else if (strcmp(key, "max_size") == 0)
			rc = get_size(x, key, v, &c->max_size);
		else if (strcmp(key, "include_responses") == 0)
			rc = get_bool(x, key, v, &c->include_responses);
		else if (strcmp(key, "update") == 0)
			rc = get_bool(x, key, v, &c->update);
		else if ((rc = post_key(x, key, k, v, &c->post)) == 1)
			rc = fail(x, k->start_mark, "unknown key \"%.60s\"", key);
		if (rc)
			return rc;
	}
	if (!feeds)
		return fail(x, root->start_mark, "no feeds: list");
	return feeds_list(x, feeds);
}

/* Line and column (1-based) of a byte offset, for reader errors. */
static void offset_mark(const char *text, size_t len, size_t off, yaml_mark_t *m)
{
	size_t i;

	m->line = m->column = 0;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			m->line++;
			m->column = 0;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			m->column++;
		}
	}
}

static int yaml_fail(struct ctx *x, yaml_parser_t *ps)
{
	yaml_mark_t m = ps->problem_mark;
	const char *problem = ps->problem ? ps->problem : "unknown problem";

	if (ps->error == YAML_MEMORY_ERROR)
		return oom(x);
	if (ps->error == YAML_READER_ERROR) {
		offset_mark(x->text, x->len, ps->problem_offset, &m);
		return fail(x, m, "YAML error: %s", problem);
	}
	if (ps->context)
		return fail(x, m, "YAML error: %s (%s at line %lu)", problem, ps->context,
		            (unsigned long)ps->context_mark.line + 1);
	return fail(x, m, "YAML error: %s", problem);
}

static struct config *config_new(void)
{
	struct config *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->output = dup0(CONFIG_DEFAULT_OUTPUT);
	c->layout = dup0(CONFIG_DEFAULT_LAYOUT);
	c->state = dup0(CONFIG_DEFAULT_STATE);
	c->concurrency = CONFIG_DEFAULT_CONCURRENCY;
	c->per_host = CONFIG_DEFAULT_PER_HOST;
	c->timeout = CAP_TIMEOUT_DEFAULT;
	c->connect_timeout = CAP_CONNECT_TIMEOUT_DEFAULT;
	c->max_size = CAP_FEED_SIZE_DEFAULT;
	c->include_responses = false;
	c->update = true;
	post_init(&c->post);
	c->failures_before_report = 1;
	if (!c->output || !c->layout || !c->state) {
		config_free(c);
		return NULL;
	}
	return c;
}

int config_parse(const char *text, size_t len, const char *path, struct config **out,
                 struct m2j_err *err)
{
	struct ctx x = { path ? path : "(config)", text, len, NULL, NULL, err };
	yaml_parser_t ps;
	yaml_document_t doc, extra;
	yaml_node_t *root;
	int rc;

	if (!(x.c = config_new()))
		return oom(&x);
	if (!(x.c->path = dup0(x.path))) {
		config_free(x.c);
		return oom(&x);
	}
	if (!yaml_parser_initialize(&ps)) {
		config_free(x.c);
		return oom(&x);
	}
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	if (!yaml_parser_load(&ps, &doc)) {
		rc = yaml_fail(&x, &ps);
		yaml_parser_delete(&ps);
		config_free(x.c);
		return rc;
	}
	x.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		yaml_mark_t m = { 0, 0, 0 };

		rc = fail(&x, m, "empty config: expected settings and a feeds: list");
	} else {
		rc = top(&x, root);
	}
	if (!rc) {
		/* a second document is a mistake, not something to ignore */
		if (!yaml_parser_load(&ps, &extra)) {
			rc = yaml_fail(&x, &ps);
		} else {
			yaml_node_t *r2 = yaml_document_get_root_node(&extra);

			if (r2)
				rc = fail(&x, r2->start_mark, "more than one YAML document");
			yaml_document_delete(&extra);
		}
	}
	if (!rc)
		rc = resolve_paths(&x, path);
	yaml_document_delete(&doc);
	yaml_parser_delete(&ps);
	if (rc) {
		config_free(x.c);
		return rc;
	}
	*out = x.c;
	return 0;
}

int config_load(const char *path, struct config **out, struct m2j_err *err)
{
	struct buf b = BUF_INIT(CAP_CONFIG_SIZE);
	int rc;

	if (buf_read_file(&b, path)) {
		int e = errno;

		if (b.too_big)
			rc = m2j_err_set(err, M2J_ELIMIT, "%s: config file larger than %zu bytes",
			                 path, (size_t)CAP_CONFIG_SIZE);
		else if (b.failed && e == ENOMEM)
			rc = m2j_err_set(err, M2J_ENOMEM, "%s: out of memory", path);
		else
			rc = m2j_err_set(err, M2J_EIO, "%s: %s", path, strerror(e));
		buf_release(&b);
		return rc;
	}
	rc = config_parse(b.data, b.len, path, out, err);
	buf_release(&b);
	return rc;
}

void config_free(struct config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nfeeds; i++) {
		struct config_feed *f = &c->feeds[i];

		free(f->url);
		free(f->medium);
		free(f->author);
		free(f->output);
		free(f->layout);
		post_free(&f->post);
	}
	post_free(&c->post);
	free(c->feeds);
	free(c->path);
	free(c->output);
	free(c->layout);
	free(c->state);
	free(c->user_agent);
	free(c->author);
	free(c);
}

const char *config_feed_author(const struct config *c, const struct config_feed *f)
{
	return f->author ? f->author : c->author;
}

const char *config_feed_output(const struct config *c, const struct config_feed *f)
{
	return f->output ? f->output : c->output;
}

const char *config_feed_layout(const struct config *c, const struct config_feed *f)
{
	return f->layout ? f->layout : c->layout;
}

bool config_feed_include_responses(const struct config *c, const struct config_feed *f)
{
	return f->include_responses < 0 ? c->include_responses : f->include_responses != 0;
}

static int pick(int feed, int site)
{
	return feed >= 0 ? feed : site;
}

void config_feed_post(const struct config *c, const struct config_feed *f,
                      struct post_opts *po, struct post_kv *extra, size_t max,
                      const char **images, const char **images_url)
{
	const struct config_post *s = &c->post, *fp = &f->post;
	size_t i, j, n = 0;

	po->tags = pick(fp->tags, s->tags) > 0;
	po->canonical = pick(fp->canonical, s->canonical) > 0;
	po->clean = pick(fp->clean, s->clean) > 0;
	po->fields = fp->fields_set ? fp->fields : s->fields;
	if (pick(fp->member_only, s->member_only) >= 0)
		po->member_only = (enum post_member_only)pick(fp->member_only, s->member_only);
	for (i = 0; i < s->nextra && n < max; i++) {
		for (j = 0; j < fp->nextra; j++)
			if (strcmp(fp->extra_keys[j], s->extra_keys[i]) == 0)
				break;
		if (j == fp->nextra)
			extra[n++] = (struct post_kv){ s->extra_keys[i], s->extra_values[i] };
	}
	for (i = 0; i < fp->nextra && n < max; i++)
		extra[n++] = (struct post_kv){ fp->extra_keys[i], fp->extra_values[i] };
	po->extra = extra;
	po->nextra = n;
	*images = fp->images ? fp->images : s->images;
	*images_url = fp->images_url ? fp->images_url : s->images_url;
}

const struct config_announce *config_feed_announce(const struct config *c,
                                                   const struct config_feed *f, size_t *n)
{
	const struct config_post *cp = f && f->post.announce_set ? &f->post : &c->post;

	*n = cp->nannounce;
	return cp->announce;
}
