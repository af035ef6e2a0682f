/* state.c - the `sync` state file (see state.h). */
#include "state.h"
#include "buf.h"
#include "caps.h"
#include "fsatomic.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* ---- fields ---------------------------------------------------------- */

struct field {
	const char *name;
	size_t off;
};

/* In the order they are written; "failures" follows last_success. */
static const struct field feed_fields[] = {
	{ "url", offsetof(struct state_feed, url) },
	{ "etag", offsetof(struct state_feed, etag) },
	{ "last_modified", offsetof(struct state_feed, last_modified) },
	{ "body_hash", offsetof(struct state_feed, body_hash) },
	{ "last_success", offsetof(struct state_feed, last_success) },
	{ "last_error", offsetof(struct state_feed, last_error) },
};
#define NFEED_FIELDS (sizeof feed_fields / sizeof feed_fields[0])
#define FEED_FAILURES_AFTER 4 /* index of last_success */

static const struct field post_fields[] = {
	{ "key", offsetof(struct state_post, key) },
	{ "feed", offsetof(struct state_post, feed) },
	{ "guid", offsetof(struct state_post, guid) },
	{ "file", offsetof(struct state_post, file) },
	{ "output", offsetof(struct state_post, output) },
	{ "hash", offsetof(struct state_post, hash) },
	{ "item_hash", offsetof(struct state_post, item_hash) },
};
#define NPOST_FIELDS (sizeof post_fields / sizeof post_fields[0])

struct kind {
	const struct field *fields;
	size_t n;
};

static const struct kind kinds[2] = { /* [0] posts, [1] feeds */
	{ post_fields, NPOST_FIELDS },
	{ feed_fields, NFEED_FIELDS },
};

static char **fieldp(void *entry, const struct field *f)
{
	return (char **)(void *)((char *)entry + f->off);
}

static char *const *cfieldp(const void *entry, const struct field *f)
{
	return (char *const *)(const void *)((const char *)entry + f->off);
}

static void feed_release(struct state_feed *f)
{
	size_t i;

	for (i = 0; i < NFEED_FIELDS; i++)
		free(*fieldp(f, &feed_fields[i]));
}

static void post_release(struct state_post *p)
{
	size_t i;

	for (i = 0; i < NPOST_FIELDS; i++)
		free(*fieldp(p, &post_fields[i]));
}

/* ---- hash and index -------------------------------------------------- */

static uint64_t fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

char *state_hash_hex(const void *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t h = fnv1a(data, len);
	char *s = malloc(17);
	int i;

	if (!s)
		return NULL;
	for (i = 15; i >= 0; i--) {
		s[i] = hex[h & 15];
		h >>= 4;
	}
	s[16] = '\0';
	return s;
}

/* Open addressing, linear probing; a slot holds index + 1 (0 = empty). */
struct state_index {
	size_t *slots;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

typedef const char *name_fn(const struct state *s, size_t i);

static const char *feed_name(const struct state *s, size_t i)
{
	return s->feeds[i].url;
}

static const char *post_name(const struct state *s, size_t i)
{
	return s->posts[i].key;
}

static void index_free(struct state_index *ix)
{
	if (ix) {
		free(ix->slots);
		free(ix);
	}
}

/* The slot of name, or of the empty slot where it would go. */
static size_t index_slot(const struct state_index *ix, const struct state *s, name_fn *name,
                         const char *key)
{
	size_t mask = ix->cap - 1, i = (size_t)fnv1a(key, strlen(key)) & mask;

	while (ix->slots[i] && strcmp(name(s, ix->slots[i] - 1), key) != 0)
		i = (i + 1) & mask;
	return i;
}

/* Ensures room for one more entry. */
static int index_grow(struct state_index *ix, const struct state *s, name_fn *name)
{
	size_t ncap, i, *old = ix->slots, ocap = ix->cap;

	if (ix->cap && (ix->n + 1) * 2 <= ix->cap)
		return 0;
	ncap = ix->cap ? ix->cap * 2 : 64;
	if (ncap > SIZE_MAX / sizeof *ix->slots)
		return -1;
	if (!(ix->slots = calloc(ncap, sizeof *ix->slots))) {
		ix->slots = old;
		return -1;
	}
	ix->cap = ncap;
	for (i = 0; i < ocap; i++)
		if (old[i])
			ix->slots[index_slot(ix, s, name, name(s, old[i] - 1))] = old[i];
	free(old);
	return 0;
}

static int grow_array(void **arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return -1;
		ncap *= 2;
	}
	if (!(p = realloc(*arr, ncap * size)))
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

int state_reserve(struct state *s, size_t nfeeds, size_t nposts)
{
	void *f = s->feeds, *p = s->posts;
	int rc = 0;

	if (nfeeds > SIZE_MAX - s->nfeeds || nposts > SIZE_MAX - s->nposts)
		return -1;
	if (grow_array(&f, &s->capfeeds, s->nfeeds + nfeeds, sizeof *s->feeds))
		rc = -1;
	s->feeds = f;
	if (grow_array(&p, &s->capposts, s->nposts + nposts, sizeof *s->posts))
		rc = -1;
	s->posts = p;
	return rc;
}

struct state *state_new(void)
{
	struct state *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->feed_index = calloc(1, sizeof *s->feed_index);
	s->post_index = calloc(1, sizeof *s->post_index);
	if (!s->feed_index || !s->post_index) {
		state_free(s);
		return NULL;
	}
	return s;
}

void state_free(struct state *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nfeeds; i++)
		feed_release(&s->feeds[i]);
	for (i = 0; i < s->nposts; i++)
		post_release(&s->posts[i]);
	free(s->feeds);
	free(s->posts);
	index_free(s->feed_index);
	index_free(s->post_index);
	free(s);
}

/* The entry of key in one of the two arrays (feeds or posts), found through
 * its index, or appended when create: returns its position + 1, 0 when
 * absent (or out of memory).  *added says it is new (its key then set). */
static size_t entry_get(struct state *s, struct state_index *ix, name_fn *name, void **arr,
                        size_t *n, size_t *cap, size_t size, const char *key, bool create,
                        char **copy)
{
	size_t slot;

	*copy = NULL;
	if (ix->cap) {
		slot = index_slot(ix, s, name, key);
		if (ix->slots[slot])
			return ix->slots[slot];
	}
	if (!create || index_grow(ix, s, name) || grow_array(arr, cap, *n + 1, size) ||
	    !(*copy = strdup(key)))
		return 0;
	memset((char *)*arr + *n * size, 0, size);
	return ++*n;
}

/* Registers entry pos (1-based), whose key was just set, in the index. */
static void entry_index(struct state *s, struct state_index *ix, name_fn *name, size_t pos,
                        const char *key)
{
	ix->slots[index_slot(ix, s, name, key)] = pos;
	ix->n++;
}

struct state_feed *state_feed_get(struct state *s, const char *url, bool create)
{
	void *arr = s->feeds;
	char *copy;
	size_t pos = entry_get(s, s->feed_index, feed_name, &arr, &s->nfeeds, &s->capfeeds,
	                       sizeof *s->feeds, url, create, &copy);

	s->feeds = arr;
	if (!pos)
		return NULL;
	if (copy) {
		s->feeds[pos - 1].url = copy;
		entry_index(s, s->feed_index, feed_name, pos, url);
	}
	return &s->feeds[pos - 1];
}

struct state_post *state_post_get(struct state *s, const char *key, bool create)
{
	void *arr = s->posts;
	char *copy;
	size_t pos = entry_get(s, s->post_index, post_name, &arr, &s->nposts, &s->capposts,
	                       sizeof *s->posts, key, create, &copy);

	s->posts = arr;
	if (!pos)
		return NULL;
	if (copy) {
		s->posts[pos - 1].key = copy;
		entry_index(s, s->post_index, post_name, pos, key);
	}
	return &s->posts[pos - 1];
}

int state_set(char **field, const char *value)
{
	char *v = NULL;

	if (value && !(v = strdup(value)))
		return -1;
	free(*field);
	*field = v;
	return 0;
}

/* ---- reading --------------------------------------------------------- */

struct rd {
	yaml_parser_t ps;
	const char *path;
	const char *text;
	size_t len;
	struct state *s;
	struct m2j_err *err;
};

static int rd_fail(struct rd *r, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rd_fail(struct rd *r, yaml_mark_t m, const char *fmt, ...)
{
	char msg[M2J_ERR_MSG];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return m2j_err_set(r->err, M2J_EPARSE, "%s:%lu:%lu: %s", r->path,
	                   (unsigned long)m.line + 1, (unsigned long)m.column + 1, msg);
}

static int rd_oom(struct rd *r)
{
	return m2j_err_set(r->err, M2J_ENOMEM, "%s: out of memory", r->path);
}

static int rd_next(struct rd *r, yaml_event_t *ev)
{
	yaml_parser_t *ps = &r->ps;
	yaml_mark_t m;
	size_t i;

	if (yaml_parser_parse(ps, ev))
		return 0;
	if (ps->error == YAML_MEMORY_ERROR)
		return rd_oom(r);
	m = ps->problem_mark;
	if (ps->error == YAML_READER_ERROR) {
		m.line = m.column = 0;
		for (i = 0; i < ps->problem_offset && i < r->len; i++) {
			if (r->text[i] == '\n') {
				m.line++;
				m.column = 0;
			} else if (((unsigned char)r->text[i] & 0xC0) != 0x80) {
				m.column++;
			}
		}
	}
	return rd_fail(r, m, "YAML error: %s", ps->problem ? ps->problem : "unknown problem");
}

static bool ev_null(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;

	return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!v[0] || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	        strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0);
}

static const char *ev_name(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SEQUENCE_START_EVENT:
		return "a list";
	case YAML_MAPPING_START_EVENT:
		return "a mapping";
	case YAML_ALIAS_EVENT:
		return "an alias";
	case YAML_SCALAR_EVENT:
		return "a value";
	default:
		return "the end";
	}
}

/* Skips the value whose first event is ev (consumed by the caller). */
static int rd_skip(struct rd *r, const yaml_event_t *first)
{
	yaml_event_t ev;
	int depth, rc;

	if (first->type != YAML_SEQUENCE_START_EVENT && first->type != YAML_MAPPING_START_EVENT)
		return 0;
	for (depth = 1; depth > 0;) {
		if ((rc = rd_next(r, &ev)))
			return rc;
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		yaml_event_delete(&ev);
	}
	return 0;
}

/* Reads a scalar value into *out (NULL for a null value). */
static int rd_string(struct rd *r, const char *key, char **out)
{
	yaml_event_t ev;
	char *v = NULL;
	int rc;

	if ((rc = rd_next(r, &ev)))
		return rc;
	if (ev.type != YAML_SCALAR_EVENT) {
		rc = rd_fail(r, ev.start_mark, "%s: expected a string, got %s", key, ev_name(&ev));
	} else if (strlen((const char *)ev.data.scalar.value) != ev.data.scalar.length) {
		rc = rd_fail(r, ev.start_mark, "%s: contains a NUL byte", key);
	} else if (!ev_null(&ev)) {
		/* take the parser's copy rather than duplicating it */
		v = (char *)ev.data.scalar.value;
		ev.data.scalar.value = NULL;
	}
	yaml_event_delete(&ev);
	if (!rc) {
		free(*out);
		*out = v;
	}
	return rc;
}

static int rd_int(struct rd *r, const char *key, int *out)
{
	yaml_event_t ev;
	int rc;

	if ((rc = rd_next(r, &ev)))
		return rc;
	if (ev.type != YAML_SCALAR_EVENT) {
		rc = rd_fail(r, ev.start_mark, "%s: expected an integer, got %s", key, ev_name(&ev));
	} else {
		const char *v = (const char *)ev.data.scalar.value;
		char *end;
		long n;

		errno = 0;
		n = (v[0] >= '0' && v[0] <= '9') ? strtol(v, &end, 10) : -1;
		if (n < 0 || *end || errno || n > INT_MAX)
			rc = rd_fail(r, ev.start_mark, "%s: expected a count, got \"%.40s\"", key, v);
		else
			*out = (int)n;
	}
	yaml_event_delete(&ev);
	return rc;
}

/* One feed or post mapping, whose MAPPING_START was consumed. */
static int rd_entry(struct rd *r, bool feed, yaml_mark_t start)
{
	const struct field *fields = kinds[feed].fields;
	size_t nfields = kinds[feed].n, i;
	struct state_feed tf;
	struct state_post tp;
	void *tmp = feed ? (void *)&tf : (void *)&tp;
	void *dst;
	yaml_event_t ev;
	int rc = 0;

	memset(&tf, 0, sizeof tf);
	memset(&tp, 0, sizeof tp);
	for (;;) {
		const char *key;

		if ((rc = rd_next(r, &ev)))
			goto out;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			rc = rd_fail(r, ev.start_mark, "expected a key, got %s", ev_name(&ev));
			yaml_event_delete(&ev);
			goto out;
		}
		key = (const char *)ev.data.scalar.value;
		for (i = 0; i < nfields; i++)
			if (strcmp(key, fields[i].name) == 0)
				break;
		if (i < nfields) {
			rc = rd_string(r, fields[i].name, fieldp(tmp, &fields[i]));
		} else if (feed && strcmp(key, "failures") == 0) {
			rc = rd_int(r, "failures", &tf.failures);
		} else {
			yaml_event_t v;

			if (!(rc = rd_next(r, &v))) {
				rc = rd_skip(r, &v);
				yaml_event_delete(&v);
			}
		}
		yaml_event_delete(&ev);
		if (rc)
			goto out;
	}
	if (!*fieldp(tmp, &fields[0])) {
		rc = rd_fail(r, start, "%s entry without %s", feed ? "feed" : "post",
		             fields[0].name);
		goto out;
	}
	dst = feed ? (void *)state_feed_get(r->s, tf.url, true)
	           : (void *)state_post_get(r->s, tp.key, true);
	if (!dst) {
		rc = rd_oom(r);
		goto out;
	}
	/* move every field but the name (a repeated entry replaces the first) */
	for (i = 1; i < nfields; i++) {
		char **d = fieldp(dst, &fields[i]), **sf = fieldp(tmp, &fields[i]);

		free(*d);
		*d = *sf;
		*sf = NULL;
	}
	if (feed)
		((struct state_feed *)dst)->failures = tf.failures;
out:
	if (feed)
		feed_release(&tf);
	else
		post_release(&tp);
	return rc;
}

static int rd_list(struct rd *r, bool feed)
{
	yaml_event_t ev;
	int rc;

	if ((rc = rd_next(r, &ev)))
		return rc;
	if (ev.type == YAML_SCALAR_EVENT && ev_null(&ev)) {
		yaml_event_delete(&ev);
		return 0;
	}
	if (ev.type != YAML_SEQUENCE_START_EVENT) {
		rc = rd_fail(r, ev.start_mark, "%s: expected a list, got %s",
		             feed ? "feeds" : "posts", ev_name(&ev));
		yaml_event_delete(&ev);
		return rc;
	}
	yaml_event_delete(&ev);
	for (;;) {
		if ((rc = rd_next(r, &ev)))
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (ev.type != YAML_MAPPING_START_EVENT) {
			rc = rd_fail(r, ev.start_mark, "%s: expected a mapping, got %s",
			             feed ? "feeds" : "posts", ev_name(&ev));
			yaml_event_delete(&ev);
			return rc;
		}
		rc = rd_entry(r, feed, ev.start_mark);
		yaml_event_delete(&ev);
		if (rc)
			return rc;
	}
}

static int rd_expect(struct rd *r, yaml_event_type_t type, const char *what)
{
	yaml_event_t ev;
	int rc;

	if ((rc = rd_next(r, &ev)))
		return rc;
	if (ev.type != type)
		rc = rd_fail(r, ev.start_mark, "expected %s, got %s", what, ev_name(&ev));
	yaml_event_delete(&ev);
	return rc;
}

static int rd_document(struct rd *r)
{
	yaml_event_t ev;
	int rc, version = STATE_VERSION;

	if ((rc = rd_expect(r, YAML_STREAM_START_EVENT, "the start")))
		return rc;
	if ((rc = rd_next(r, &ev)))
		return rc;
	if (ev.type == YAML_STREAM_END_EVENT) { /* an empty file */
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev);
	if ((rc = rd_next(r, &ev)))
		return rc;
	if (ev.type != YAML_MAPPING_START_EVENT) {
		rc = rd_fail(r, ev.start_mark, "expected a mapping, got %s", ev_name(&ev));
		yaml_event_delete(&ev);
		return rc;
	}
	yaml_event_delete(&ev);
	for (;;) {
		const char *key;

		if ((rc = rd_next(r, &ev)))
			return rc;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			rc = rd_fail(r, ev.start_mark, "expected a key, got %s", ev_name(&ev));
			yaml_event_delete(&ev);
			return rc;
		}
		key = (const char *)ev.data.scalar.value;
		if (strcmp(key, "version") == 0) {
			rc = rd_int(r, "version", &version);
			if (!rc && version > STATE_VERSION)
				rc = m2j_err_set(r->err, M2J_EUNSAFE,
				                 "%s: state version %d is newer than this program (%d): "
				                 "refused, left as it is (upgrade medium2jekyll)",
				                 r->path, version, STATE_VERSION);
		} else if (strcmp(key, "feeds") == 0) {
			rc = rd_list(r, true);
		} else if (strcmp(key, "posts") == 0) {
			rc = rd_list(r, false);
		} else {
			yaml_event_t v;

			if (!(rc = rd_next(r, &v))) {
				rc = rd_skip(r, &v);
				yaml_event_delete(&v);
			}
		}
		yaml_event_delete(&ev);
		if (rc)
			return rc;
	}
	if ((rc = rd_expect(r, YAML_DOCUMENT_END_EVENT, "the end of the document")))
		return rc;
	return rd_expect(r, YAML_STREAM_END_EVENT, "the end of the file");
}

int state_load(const char *path, struct state **out, struct m2j_err *err)
{
	struct buf b = BUF_INIT(CAP_STATE_SIZE);
	struct rd r;
	int rc;

	memset(&r, 0, sizeof r);
	r.path = path;
	r.err = err;
	{
		/* never block on a FIFO or read a device: a regular file or nothing */
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		struct stat st;

		if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
			close(fd);
			buf_release(&b);
			return m2j_err_set(err, M2J_EUNSAFE, "%s: not a regular file: refused, "
			                   "left as it is", path);
		}
		rc = fd < 0 ? -1 : buf_read_fd(&b, fd);
		if (fd >= 0) {
			int e = errno;

			close(fd);
			errno = e;
		}
	}
	if (rc) {
		int e = errno;

		if (e == ENOENT && !b.failed) {
			buf_release(&b);
			if (!(*out = state_new()))
				return m2j_err_set(err, M2J_ENOMEM, "%s: out of memory", path);
			return 0;
		}
		if (b.too_big)
			rc = m2j_err_set(err, M2J_ELIMIT, "%s: state file larger than %zu bytes",
			                 path, (size_t)CAP_STATE_SIZE);
		else if (b.failed)
			rc = m2j_err_set(err, M2J_ENOMEM, "%s: out of memory", path);
		else
			rc = m2j_err_set(err, M2J_EIO, "%s: %s", path, strerror(e));
		buf_release(&b);
		return rc;
	}
	r.text = b.data;
	r.len = b.len;
	if (!(r.s = state_new()) || !yaml_parser_initialize(&r.ps)) {
		state_free(r.s);
		buf_release(&b);
		return m2j_err_set(err, M2J_ENOMEM, "%s: out of memory", path);
	}
	yaml_parser_set_input_string(&r.ps, (const unsigned char *)b.data, b.len);
	yaml_parser_set_encoding(&r.ps, YAML_UTF8_ENCODING);
	rc = rd_document(&r);
	yaml_parser_delete(&r.ps);
	buf_release(&b);
	if (rc) {
		state_free(r.s);
		return rc;
	}
	*out = r.s;
	return 0;
}

/* ---- writing --------------------------------------------------------- */

struct wr {
	yaml_emitter_t em;
	struct buf out;
	struct buf tmp; /* UTF-8 repair */
	const char *path;
	struct m2j_err *err;
};

static int out_handler(void *data, unsigned char *bytes, size_t size)
{
	struct buf *b = data;

	return buf_add(b, bytes, size) == 0;
}

static int wr_emit(struct wr *w, yaml_event_t *ev, int init_ok)
{
	if (!init_ok)
		return m2j_err_set(w->err, M2J_ENOMEM, "%s: out of memory", w->path);
	if (!yaml_emitter_emit(&w->em, ev)) { /* the emitter owns ev either way */
		if (w->out.too_big)
			return m2j_err_set(w->err, M2J_ELIMIT, "%s: state larger than %zu bytes",
			                   w->path, (size_t)CAP_STATE_SIZE);
		return m2j_err_set(w->err, w->em.error == YAML_MEMORY_ERROR || w->out.failed
		                   ? M2J_ENOMEM : M2J_EINTERNAL, "%s: %s", w->path,
		                   w->em.problem ? w->em.problem : "YAML emitter error");
	}
	return 0;
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		unsigned char x = (unsigned char)*a;

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (x != (unsigned char)*b)
			return false;
	}
	return *a == *b;
}

/* True when a YAML 1.1 reader would take s, written plain, as a string
 * (libyaml may still quote it for syntax): it starts with a letter and is
 * no boolean or null word, or starts with _ or /, or is a hex hash with a
 * letter that no number syntax uses. */
static bool plain_is_string(const char *s, size_t len)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "true", "false", "on", "off", "null"
	};
	unsigned char c = (unsigned char)s[0];
	size_t i;

	if (c == '_' || c == '/')
		return true;
	if (c >= '0' && c <= '9') {
		bool letter = false;

		/* a Jekyll post name: YYYY-MM-DD- is no date or number */
		if (len > 11 && s[4] == '-' && s[7] == '-' && s[10] == '-') {
			for (i = 0; i < 10; i++)
				if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
					break;
			if (i == 10)
				return true;
		}

		if (s[0] == '0' && s[1] == 'b') /* YAML 1.1 binary */
			return false;
		for (i = 0; i < len; i++) {
			c = (unsigned char)s[i];
			if ((c >= 'a' && c <= 'd') || c == 'f')
				letter = true;
			else if (!((c >= '0' && c <= '9') || c == 'e'))
				return false;
		}
		return letter;
	}
	if (!is_alpha(c))
		return false;
	if (len <= 5)
		for (i = 0; i < sizeof words / sizeof words[0]; i++)
			if (ieq(s, words[i]))
				return false;
	return true;
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t utf8_seq(const unsigned char *p)
{
	uint32_t c;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, c = p[0] & 0x1Fu;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, c = p[0] & 0x0Fu;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, c = p[0] & 0x07u;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3Fu);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return n;
}

/* One pass over s: its length, whether it is valid UTF-8, and whether it
 * needs escapes to survive (control characters, and the Unicode line
 * breaks and BOM that other styles would fold or drop). */
static bool scan(const char *s, size_t *len, bool *escapes)
{
	const unsigned char *p = (const unsigned char *)s;
	bool valid = true;

	*escapes = false;
	for (;;) {
		size_t n;

		while (*p >= 0x20 && *p < 0x7f) /* the common case */
			p++;
		if (!*p)
			break;
		if (*p < 0x80) { /* a control character */
			*escapes = true;
			p++;
			continue;
		}
		if (!(n = utf8_seq(p))) {
			valid = false;
			p++;
			continue;
		}
		if ((p[0] == 0xC2 && p[1] == 0x85) ||
		    (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) ||
		    (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF))
			*escapes = true;
		p += n;
	}
	*len = (size_t)((const char *)p - s);
	return valid;
}

/* A copy of s in w->tmp with U+FFFD for each invalid byte; NULL on OOM. */
static const char *repair_utf8(struct wr *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	buf_reset(&w->tmp);
	while (*p) {
		if ((n = utf8_seq(p))) {
			buf_add(&w->tmp, p, n);
		} else {
			buf_addstr(&w->tmp, "\xEF\xBF\xBD");
			n = 1;
		}
		p += n;
	}
	return w->tmp.failed ? NULL : w->tmp.data;
}

static int wr_str(struct wr *w, const char *v)
{
	yaml_event_t ev;
	int ok, plain;
	size_t len;
	bool esc;

	if (!scan(v, &len, &esc)) {
		if (!(v = repair_utf8(w, v)))
			return m2j_err_set(w->err, M2J_ENOMEM, "%s: out of memory", w->path);
		scan(v, &len, &esc);
	}
	if (len > INT_MAX)
		return m2j_err_set(w->err, M2J_ELIMIT, "%s: string too long", w->path);
	plain = !esc && len && plain_is_string(v, len);
	ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)v, (int)len,
	                                  plain, 1, esc ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
	                                                : YAML_ANY_SCALAR_STYLE);
	return wr_emit(w, &ev, ok);
}

/* A key of ours: a plain word. */
static int wr_key(struct wr *w, const char *key)
{
	yaml_event_t ev;
	int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)key,
	                                      (int)strlen(key), 1, 0, YAML_PLAIN_SCALAR_STYLE);

	return wr_emit(w, &ev, ok);
}

static int wr_key_str(struct wr *w, const char *key, const char *v)
{
	int rc;

	if (!v)
		return 0;
	if ((rc = wr_key(w, key)))
		return rc;
	return wr_str(w, v);
}

static int wr_int(struct wr *w, const char *key, long n)
{
	yaml_event_t ev;
	char num[32];
	int rc, ok;

	if ((rc = wr_key(w, key)))
		return rc;
	snprintf(num, sizeof num, "%ld", n);
	ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)num,
	                                  (int)strlen(num), 1, 0, YAML_PLAIN_SCALAR_STYLE);
	return wr_emit(w, &ev, ok);
}

static int map_start(struct wr *w)
{
	yaml_event_t ev;
	int ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);

	return wr_emit(w, &ev, ok);
}

static int map_end(struct wr *w)
{
	yaml_event_t ev;
	int ok = yaml_mapping_end_event_initialize(&ev);

	return wr_emit(w, &ev, ok);
}

static int cmp_feed(const void *a, const void *b)
{
	const struct state_feed *x = *(const struct state_feed *const *)a;
	const struct state_feed *y = *(const struct state_feed *const *)b;

	return strcmp(x->url, y->url);
}

static int cmp_post(const void *a, const void *b)
{
	const struct state_post *x = *(const struct state_post *const *)a;
	const struct state_post *y = *(const struct state_post *const *)b;

	return strcmp(x->key, y->key);
}

static int wr_list(struct wr *w, const struct state *s, bool feed)
{
	size_t n = feed ? s->nfeeds : s->nposts, i, j, k = 0;
	const void **order;
	yaml_event_t ev;
	int rc = 0, ok;

	if ((rc = wr_key(w, feed ? "feeds" : "posts")))
		return rc;
	if (!(order = malloc((n ? n : 1) * sizeof *order)))
		return m2j_err_set(w->err, M2J_ENOMEM, "%s: out of memory", w->path);
	for (i = 0; i < n; i++) {
		const void *e = feed ? (const void *)&s->feeds[i] : (const void *)&s->posts[i];

		if (*cfieldp(e, feed ? &feed_fields[0] : &post_fields[0]))
			order[k++] = e;
	}
	qsort(order, k, sizeof *order, feed ? cmp_feed : cmp_post);
	ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	if ((rc = wr_emit(w, &ev, ok)))
		goto out;
	for (i = 0; i < k && !rc; i++) {
		if ((rc = map_start(w)))
			break;
		if (feed) {
			const struct state_feed *f = order[i];

			for (j = 0; j < NFEED_FIELDS && !rc; j++) {
				rc = wr_key_str(w, feed_fields[j].name, *cfieldp(f, &feed_fields[j]));
				if (!rc && j == FEED_FAILURES_AFTER)
					rc = wr_int(w, "failures", f->failures);
			}
		} else {
			for (j = 0; j < NPOST_FIELDS && !rc; j++)
				rc = wr_key_str(w, post_fields[j].name, *cfieldp(order[i], &post_fields[j]));
		}
		if (!rc)
			rc = map_end(w);
	}
	if (!rc) {
		ok = yaml_sequence_end_event_initialize(&ev);
		rc = wr_emit(w, &ev, ok);
	}
out:
	free(order);
	return rc;
}

/* The YAML text of s, into w->out. */
static int wr_document(struct wr *w, const struct state *s)
{
	yaml_event_t ev;
	int rc, ok;

	buf_addstr(&w->out, "# medium2jekyll sync state: written by every run.  Deleting it costs\n"
	                    "# one full download, never a duplicate post.\n");
	yaml_emitter_set_unicode(&w->em, 1);
	yaml_emitter_set_width(&w->em, -1);
	yaml_emitter_set_indent(&w->em, 2);
	yaml_emitter_set_break(&w->em, YAML_LN_BREAK);
	yaml_emitter_set_output(&w->em, out_handler, &w->out);
	ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if ((rc = wr_emit(w, &ev, ok)))
		return rc;
	ok = yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	if ((rc = wr_emit(w, &ev, ok)) || (rc = map_start(w)) ||
	    (rc = wr_int(w, "version", STATE_VERSION)) ||
	    (rc = wr_list(w, s, true)) || (rc = wr_list(w, s, false)) || (rc = map_end(w)))
		return rc;
	ok = yaml_document_end_event_initialize(&ev, 1);
	if ((rc = wr_emit(w, &ev, ok)))
		return rc;
	ok = yaml_stream_end_event_initialize(&ev);
	if ((rc = wr_emit(w, &ev, ok)))
		return rc;
	if (!yaml_emitter_flush(&w->em) || w->out.failed)
		return m2j_err_set(w->err, w->out.too_big ? M2J_ELIMIT : M2J_ENOMEM,
		                   "%s: could not build the state text", w->path);
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* fsync of the folder holding path, so the rename is durable; errors are
 * ignored (some file systems refuse it). */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[CAP_PATH_LEN];
	int fd;

	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* True when the file at path holds exactly text (then nothing is written,
 * so a run that changed nothing leaves the file and its mtime alone). */
static bool same_content(const char *path, const struct buf *text)
{
	struct buf cur = BUF_INIT(text->len + 1);
	bool same;

	if (buf_read_file(&cur, path)) {
		buf_release(&cur);
		return false;
	}
	same = cur.len == text->len && memcmp(cur.data, text->data, cur.len) == 0;
	buf_release(&cur);
	return same;
}

static int write_file(const char *path, const struct buf *text, struct m2j_err *err)
{
	char tmp[CAP_PATH_LEN];
	struct stat st;
	mode_t mode = 0644;
	bool keep_mode = false;
	int fd, e, tries;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		return m2j_err_set(err, M2J_ELIMIT, "%s: path too long", path);
	{
		/* the state's folder (`state: .m2j/state.yml`) */
		char dir[CAP_PATH_LEN];
		const char *slash = strrchr(path, '/');
		int rc;

		if (slash && slash > path) {
			snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
			if ((rc = fsatomic_mkdirs(dir, err)))
				return rc;
		}
	}
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return m2j_err_set(err, M2J_EUNSAFE, "%s: not a regular file: not replaced", path);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		mode = st.st_mode & 07777;
		keep_mode = true;
		if ((size_t)st.st_size == text->len && same_content(path, text)) {
			(void)unlink(tmp); /* a stale one from a killed run */
			return 0;
		}
	}
	for (tries = 0;; tries++) {
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
		if (fd >= 0 || errno != EEXIST || tries > 0)
			break;
		(void)unlink(tmp); /* left by a killed run (we hold the lock) */
	}
	if (fd < 0)
		return m2j_err_set(err, M2J_EIO, "%s: %s", tmp, strerror(errno));
	if ((keep_mode && fchmod(fd, mode)) || write_all(fd, text->data, text->len) ||
	    fsync(fd)) {
		e = errno;
		close(fd);
		unlink(tmp);
		return m2j_err_set(err, M2J_EIO, "%s: %s", tmp, strerror(e));
	}
	if (close(fd)) {
		e = errno;
		unlink(tmp);
		return m2j_err_set(err, M2J_EIO, "%s: %s", tmp, strerror(e));
	}
	if (rename(tmp, path)) {
		e = errno;
		unlink(tmp);
		return m2j_err_set(err, M2J_EIO, "%s: %s", path, strerror(e));
	}
	sync_dir(path);
	return 0;
}

int state_save(const struct state *s, const char *path, struct m2j_err *err)
{
	struct wr w;
	int rc;

	memset(&w, 0, sizeof w);
	buf_init(&w.out, CAP_STATE_SIZE);
	buf_init(&w.tmp, CAP_STATE_SIZE);
	w.path = path;
	w.err = err;
	if (!yaml_emitter_initialize(&w.em))
		return m2j_err_set(err, M2J_ENOMEM, "%s: out of memory", path);
	/* about 250 bytes an entry: one allocation instead of many copies */
	if (s->nfeeds + s->nposts < CAP_STATE_SIZE / 256)
		(void)buf_grow(&w.out, (s->nfeeds + s->nposts) * 256 + 4096);
	buf_reset(&w.out);
	rc = wr_document(&w, s);
	yaml_emitter_delete(&w.em);
	buf_release(&w.tmp);
	if (!rc)
		rc = write_file(path, &w.out, err);
	buf_release(&w.out);
	return rc;
}
