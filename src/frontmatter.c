/* frontmatter.c - YAML front matter in and out (see frontmatter.h). */
#include "frontmatter.h"
#include "caps.h"
#include "url.h"
#include "utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static int write_handler(void *data, unsigned char *bytes, size_t size)
{
	struct buf *b = data;

	return buf_add(b, bytes, size) == 0;
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* True when a YAML 1.1 reader takes s, written plain, as the string s: it
 * starts with a letter (so it is no number, date or null) and is not one of
 * the boolean or null words.  libyaml may still quote it for syntax. */
static bool plain_is_string(const char *s)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "true", "false", "on", "off", "null"
	};
	size_t i;

	if (!is_alpha((unsigned char)s[0]))
		return false;
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (ieq(s, words[i]))
			return false;
	return true;
}

static bool is_int_id(const char *s)
{
	size_t i;

	if (!s[0] || (s[0] == '0' && s[1]) || strlen(s) > 18)
		return false;
	for (i = 0; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* ---- the safe-text rule (see frontmatter.h) ---- */

static bool is_ascii_punct(unsigned char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	       (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

/* Marks in keep[] the brackets that pair up as kramdown pairs them (a
 * backslash before ASCII punctuation makes it literal). */
static int match_brackets(const char *s, size_t len, bool *keep)
{
	size_t *open = NULL, nopen = 0, i;

	for (i = 0; i < len; i++)
		if (s[i] == '[')
			nopen++;
	if (nopen && !(open = malloc(nopen * sizeof *open)))
		return -1;
	nopen = 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		keep[i] = false;
		if (c == '\\' && i + 1 < len && is_ascii_punct((unsigned char)s[i + 1])) {
			keep[i] = false;
			keep[i + 1] = true; /* literal for kramdown: ends no link text */
			i++;
			continue;
		}
		if (c == '[') {
			open[nopen++] = i;
		} else if (c == ']' && nopen > 0) {
			keep[open[--nopen]] = true;
			keep[i] = true;
		}
	}
	free(open);
	return 0;
}

static bool opens_quote(const char *s, size_t i)
{
	unsigned char p;

	if (i == 0)
		return true;
	p = (unsigned char)s[i - 1];
	return p == ' ' || p == '\t' || p == '\n' || p == '(' || p == '[' || p == '{';
}

int frontmatter_safe_text(const char *raw, size_t raw_len, bool keep_nl, struct buf *out)
{
	/* the controls go first: the rules below look at a byte's neighbours,
	 * and "<\x14script" must be seen as the "<script" it will read as */
	char *s = raw_len ? malloc(raw_len) : NULL;
	bool *keep = raw_len ? calloc(raw_len, sizeof *keep) : NULL;
	size_t i, len = 0;

	if (raw_len && (!s || !keep)) {
		free(s);
		free(keep);
		out->failed = true;
		return -1;
	}
	for (i = 0; i < raw_len; i++) {
		unsigned char c = (unsigned char)raw[i];

		if ((c < 0x20 && c != '\t' && !(c == '\n' && keep_nl)) || c == 0x7f)
			continue; /* dropped, as the feed parser drops them */
		s[len++] = (char)c;
	}
	if (len && match_brackets(s, len, keep)) {
		free(s);
		free(keep);
		out->failed = true;
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i], n = i + 1 < len ? (unsigned char)s[i + 1] : 0;

		if (c == '"')
			buf_addstr(out, opens_quote(s, i) ? "\u201c" : "\u201d");
		else if (c == '\'')
			buf_addstr(out, opens_quote(s, i) ? "\u2018" : "\u2019");
		else if (c == '<' && (is_alpha(n) || n == '/' || n == '!' || n == '?'))
			buf_addstr(out, "\uff1c");
		else if (c == '&' && url_starts_reference(s, len, i))
			buf_addstr(out, "\uff06");
		else if (c == '[' && !keep[i])
			buf_addstr(out, "\uff3b");
		else if (c == ']' && !keep[i])
			buf_addstr(out, "\uff3d");
		else if (c == '{' && n == ':')
			buf_addstr(out, "\uff5b");
		else
			buf_addch(out, c);
	}
	free(s);
	free(keep);
	return out->failed ? -1 : 0;
}

static int emit(yaml_emitter_t *em, yaml_event_t *ev, struct m2j_err *err)
{
	/* the emitter owns ev either way; libyaml names every error but a
	 * failed allocation, which it does not always flag as one */
	if (!yaml_emitter_emit(em, ev)) {
		const struct buf *out = em->write_handler_data;

		if (em->error == YAML_MEMORY_ERROR || !em->problem ||
		    (em->error == YAML_WRITER_ERROR && out && out->failed && !out->too_big))
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		return m2j_err_set(err, M2J_EINTERNAL, "front matter: %s", em->problem);
	}
	return 0;
}

static int scalar(yaml_emitter_t *em, const char *v, size_t len, int plain_ok,
                  yaml_scalar_style_t style, struct m2j_err *err)
{
	yaml_event_t ev;

	/* it fails on invalid UTF-8 or a failed allocation */
	if (!utf8_valid(v, len))
		return m2j_err_set(err, M2J_EINTERNAL, "front matter: invalid value");
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL,
	                                  (const yaml_char_t *)v, (int)len, plain_ok, 1, style))
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	return emit(em, &ev, err);
}

/* One list item, through the safe-text rule. */
static int list_item(yaml_emitter_t *em, const char *v, struct m2j_err *err)
{
	struct buf safe = BUF_INIT(0);
	int rc;

	if (frontmatter_safe_text(v, strlen(v), false, &safe) || buf_addch(&safe, '\0')) {
		buf_release(&safe);
		return m2j_err_set(err, M2J_ENOMEM, "front matter: out of memory");
	}
	rc = scalar(em, safe.data, strlen(safe.data), plain_is_string(safe.data),
	            YAML_ANY_SCALAR_STYLE, err);
	buf_release(&safe);
	return rc;
}

static int entry_value(yaml_emitter_t *em, const struct fm_entry *e, const char *v,
                       struct m2j_err *err)
{
	yaml_event_t ev;
	size_t i, len = strlen(v);
	int rc;

	if (len > INT32_MAX / 2)
		return m2j_err_set(err, M2J_ELIMIT, "front matter: value of %s too long", e->key);
	if ((rc = scalar(em, e->key, strlen(e->key), 1, YAML_PLAIN_SCALAR_STYLE, err)))
		return rc;
	switch (e->kind) {
	case FM_LITERAL: {
		struct buf lit = BUF_INIT(0);

		if (len == 0)
			return scalar(em, "", 0, 0, YAML_DOUBLE_QUOTED_SCALAR_STYLE, err);
		/* one trailing newline gives "|" (clip), as the reference has */
		if (buf_add(&lit, v, len) || buf_addch(&lit, '\n')) {
			buf_release(&lit);
			return m2j_err_set(err, M2J_ENOMEM, "front matter: out of memory");
		}
		rc = scalar(em, lit.data, lit.len, 0, YAML_LITERAL_SCALAR_STYLE, err);
		buf_release(&lit);
		return rc;
	}
	case FM_ID:
		if (is_int_id(v))
			return scalar(em, v, len, 1, YAML_PLAIN_SCALAR_STYLE, err);
		return scalar(em, v, len, plain_is_string(v), YAML_ANY_SCALAR_STYLE, err);
	case FM_DATE:
	case FM_BOOL:
		return scalar(em, v, len, 1, YAML_PLAIN_SCALAR_STYLE, err);
	case FM_LIST:
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE))
			return m2j_err_set(err, M2J_ENOMEM, "front matter: out of memory");
		if ((rc = emit(em, &ev, err)))
			return rc;
		for (i = 0; i < e->nlist; i++)
			if ((rc = list_item(em, e->list[i], err)))
				return rc;
		if (!yaml_sequence_end_event_initialize(&ev))
			return m2j_err_set(err, M2J_ENOMEM, "front matter: out of memory");
		return emit(em, &ev, err);
	case FM_URL:
	case FM_STRING:
	default:
		return scalar(em, v, len, plain_is_string(v), YAML_ANY_SCALAR_STYLE, err);
	}
}

/* Every value derived from a feed is written safe (see frontmatter.h):
 * strings through the safe-text rule, URLs through url_serialize. */
static int entry(yaml_emitter_t *em, const struct fm_entry *e, struct m2j_err *err)
{
	struct buf safe = BUF_INIT(0);
	const char *v = e->value ? e->value : "";
	int rc;

	switch (e->kind) {
	case FM_STRING:
	case FM_LITERAL:
		rc = frontmatter_safe_text(v, strlen(v), e->kind == FM_LITERAL, &safe);
		break;
	case FM_URL:
		rc = url_serialize(v, &safe);
		break;
	default:
		return entry_value(em, e, v, err);
	}
	if (rc || buf_addch(&safe, '\0')) {
		buf_release(&safe);
		return m2j_err_set(err, M2J_ENOMEM, "front matter: out of memory");
	}
	rc = entry_value(em, e, safe.data, err);
	buf_release(&safe);
	return rc;
}

int frontmatter_emit(const struct fm_entry *e, size_t n, struct buf *out,
                     struct m2j_err *err)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	size_t start = out->len, i;
	int rc = 0;

	if (!yaml_emitter_initialize(&em))
		return m2j_err_set(err, M2J_ENOMEM, "front matter: out of memory");
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_indent(&em, 2);
	yaml_emitter_set_break(&em, YAML_LN_BREAK);
	if (buf_addstr(out, "---\n")) {
		rc = m2j_err_set(err, M2J_ENOMEM, "front matter: out of memory");
		goto done;
	}
	yaml_emitter_set_output(&em, write_handler, out);
	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) || (rc = emit(&em, &ev, err)))
		goto fail;
	if (!yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) || (rc = emit(&em, &ev, err)))
		goto fail;
	if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
	    (rc = emit(&em, &ev, err)))
		goto fail;
	for (i = 0; i < n; i++)
		if ((rc = entry(&em, &e[i], err)))
			goto fail;
	if (!yaml_mapping_end_event_initialize(&ev) || (rc = emit(&em, &ev, err)))
		goto fail;
	if (!yaml_document_end_event_initialize(&ev, 1) || (rc = emit(&em, &ev, err)))
		goto fail;
	if (!yaml_stream_end_event_initialize(&ev) || (rc = emit(&em, &ev, err)))
		goto fail;
	if (!yaml_emitter_flush(&em)) {
		rc = m2j_err_set(err, M2J_ENOMEM, "front matter: cannot write");
		goto fail;
	}
	/* libyaml ends an implicit document with "...\n" only after a "|+"
	 * scalar; we never emit one, but drop it if it appears. */
	if (out->len - start >= 8 && memcmp(out->data + out->len - 4, "...\n", 4) == 0)
		buf_truncate(out, out->len - 4);
	if (buf_addstr(out, "---\n")) {
		rc = m2j_err_set(err, M2J_ENOMEM, "front matter: out of memory");
		goto fail;
	}
	goto done;
fail:
	if (!rc)
		rc = m2j_err_set(err, M2J_ENOMEM, "front matter: out of memory");
	buf_truncate(out, start);
done:
	yaml_emitter_delete(&em);
	return rc;
}

/* Finds the end of the front matter block: returns the offset of the
 * closing fence line and sets *body to the offset after it. */
static int find_fence(const char *doc, size_t len, size_t *yaml_len, size_t *body)
{
	size_t i;

	if (len < 4 || memcmp(doc, "---", 3) != 0 || (doc[3] != '\n' && doc[3] != '\r'))
		return -1;
	i = doc[3] == '\r' ? 5 : 4;
	if (i > len)
		return -1;
	while (i < len) {
		const char *nl = memchr(doc + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - doc) : len, l = end - i;

		if (l && doc[i + l - 1] == '\r')
			l--;
		if (l == 3 && (memcmp(doc + i, "---", 3) == 0 || memcmp(doc + i, "...", 3) == 0)) {
			*yaml_len = i;
			*body = nl ? end + 1 : len;
			return 0;
		}
		i = end + 1;
	}
	return -1;
}

int frontmatter_read(const char *doc, size_t len, const char *const *keys,
                     size_t nkeys, char **values, size_t *body_off,
                     struct m2j_err *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	size_t ylen, body, i, start;
	int depth = 0, rc = 0;
	bool want_key = false, done = false;
	char *key = NULL;

	for (i = 0; i < nkeys; i++)
		values[i] = NULL;
	if (find_fence(doc, len, &ylen, &body))
		return m2j_err_set(err, M2J_EPARSE, "no front matter");
	start = doc[3] == '\r' ? 5 : 4;
	if (!yaml_parser_initialize(&p))
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)doc + start, ylen - start);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			if (p.error == YAML_MEMORY_ERROR) {
				rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
				break;
			}
			rc = m2j_err_set(err, M2J_EPARSE, "front matter: %s at line %lu",
			                 p.problem ? p.problem : "YAML error",
			                 (unsigned long)p.problem_mark.line + 2);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == 1 && !want_key) {
				free(key);
				key = NULL;
				want_key = true; /* a collection value: skip it */
			}
			if (depth == 0 && ev.type == YAML_MAPPING_START_EVENT)
				want_key = true;
			else if (depth == 0)
				rc = m2j_err_set(err, M2J_EPARSE, "front matter is not a mapping");
			depth++;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			break;
		case YAML_SCALAR_EVENT:
			if (depth == 0) {
				rc = m2j_err_set(err, M2J_EPARSE, "front matter is not a mapping");
			} else if (depth == 1 && want_key) {
				free(key);
				key = strdup((const char *)ev.data.scalar.value);
				if (!key)
					rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
				want_key = false;
			} else if (depth == 1) {
				for (i = 0; key && i < nkeys; i++) {
					if (strcmp(key, keys[i]) == 0 && !values[i]) {
						values[i] = strdup((const char *)ev.data.scalar.value);
						if (!values[i])
							rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
					}
				}
				want_key = true;
			}
			break;
		default:
			break;
		}
		if (depth == 1 && ev.type != YAML_SCALAR_EVENT && ev.type != YAML_MAPPING_START_EVENT)
			want_key = true;
		yaml_event_delete(&ev);
		if (rc)
			break;
	}
	yaml_parser_delete(&p);
	free(key);
	if (rc) {
		for (i = 0; i < nkeys; i++) {
			free(values[i]);
			values[i] = NULL;
		}
		return rc;
	}
	if (body_off)
		*body_off = body;
	return 0;
}
