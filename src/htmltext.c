/* htmltext.c - plain text of a parsed item (see htmltext.h). */
#include "htmltext.h"

#include <string.h>

#include "elements.h"

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A block element or a break: text on either side is apart. */
static bool separates(xmlNodePtr n)
{
	const struct elem *e = elem_of(n);

	return (e->flags & ELEM_F_BLOCK) || e->kind == ELEM_BR;
}

/* Appends s collapsing whitespace; *space says a separator is pending. */
static void add_text(struct buf *out, const char *s, bool *space, size_t max)
{
	for (; *s && out->len < max; s++) {
		unsigned char c = (unsigned char)*s;

		if (is_space(c)) {
			*space = true;
			continue;
		}
		if (*space && out->len > 0)
			buf_addch(out, ' ');
		*space = false;
		buf_addch(out, (char)c);
	}
}

/* Does not end out inside a UTF-8 sequence (from start on). */
static void cut_utf8(struct buf *out, size_t start)
{
	size_t i = out->len, need;
	unsigned char c;

	while (i > start && ((unsigned char)out->data[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > start) {
		c = (unsigned char)out->data[i - 1];
		need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (out->len - (i - 1) < need)
			buf_truncate(out, i - 1);
	}
}

/* The visible text of the nodes from first to the end of top's subtree
 * (iterative, any depth). */
static void text_walk(xmlNodePtr first, xmlNodePtr top, size_t max, struct buf *out)
{
	bool space = false;
	xmlNodePtr n = first;

	while (n && out->len < max) {
		bool descend = false;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				add_text(out, (const char *)n->content, &space, max);
		} else if (n->type == XML_ELEMENT_NODE) {
			if (separates(n))
				space = true;
			descend = !elem_hidden(n);
		}
		if (descend && n->children) {
			n = n->children;
			continue;
		}
		/* leaving n, and every ancestor it closes */
		while (n && n != top && !n->next) {
			n = n->parent;
			if (n && n->type == XML_ELEMENT_NODE && separates(n))
				space = true;
		}
		if (!n || n == top)
			break;
		n = n->next;
	}
}

int htmltext_node(xmlNodePtr top, size_t max, struct buf *out, struct m2j_err *err)
{
	size_t start = out->len;

	if (!top)
		return 0;
	if (top->type == XML_TEXT_NODE || top->type == XML_CDATA_SECTION_NODE) {
		bool space = false;

		if (top->content)
			add_text(out, (const char *)top->content, &space, start + max);
	} else if (!elem_hidden(top) && top->children) {
		text_walk(top->children, top, start + max, out);
	}
	cut_utf8(out, start);
	if (out->failed)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	return 0;
}

int htmltext_extract(const struct htmldoc *d, size_t max, struct buf *out,
                     struct m2j_err *err)
{
	size_t start = out->len;
	xmlNodePtr first = htmldoc_first(d);

	if (!first)
		return 0;
	text_walk(first, NULL, start + max, out);
	cut_utf8(out, start);
	if (out->failed)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	return 0;
}

int htmltext_first_image(const struct htmldoc *d, char **src, struct m2j_err *err)
{
	xmlNodePtr n = htmldoc_first(d);

	*src = NULL;
	while (n) {
		const struct elem *e = elem_of(n);

		if (e->kind == ELEM_IMG) {
			const char *v = elem_img_src(n);

			if (v && !elem_tracking_pixel(v)) {
				if (!(*src = strdup(v)))
					return m2j_err_set(err, M2J_ENOMEM, "out of memory");
				return 0;
			}
		}
		n = htmldoc_next(n, NULL, n->type == XML_ELEMENT_NODE && !elem_hidden(n));
	}
	return 0;
}

int htmltext_summary(const struct htmldoc *d, size_t max_chars, struct buf *out,
                     struct m2j_err *err)
{
	struct buf t = BUF_INIT(0);
	xmlNodePtr n = htmldoc_first(d);
	size_t i, chars = 0, cut = 0, start = out->len;
	int rc = 0;

	while (n) {
		bool descend = n->type == XML_ELEMENT_NODE && !elem_hidden(n);

		if (n->type == XML_ELEMENT_NODE && descend && strcmp((const char *)n->name, "p") == 0) {
			buf_reset(&t);
			if ((rc = htmltext_node(n, 4 * max_chars + 8, &t, err)))
				goto out;
			if (t.len)
				break;
			descend = false;
		}
		n = htmldoc_next(n, NULL, descend);
	}
	/* short enough: all of it; else at most max_chars - 1 characters cut
	 * at the last space, and an ellipsis */
	for (i = 0; i < t.len; i++)
		if (((unsigned char)t.data[i] & 0xC0) != 0x80)
			chars++;
	if (chars <= max_chars) {
		buf_add(out, t.data, t.len);
	} else {
		for (i = 0, chars = 0; i < t.len; i++) {
			if (((unsigned char)t.data[i] & 0xC0) == 0x80)
				continue;
			if (chars + 1 == max_chars)
				break;
			if (t.data[i] == ' ')
				cut = i;
			chars++;
		}
		if (cut == 0)
			cut = i; /* one long word: cut it at a character boundary */
		buf_add(out, t.data, cut);
		buf_addstr(out, "\xE2\x80\xA6");
	}
	if (out->failed) {
		buf_truncate(out, start);
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
out:
	buf_release(&t);
	return rc;
}
