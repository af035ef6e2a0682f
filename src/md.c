/* md.c - the Markdown writer (see md.h). */
#include "md.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "url.h"

enum ikind { IK_STRONG, IK_EMPH, IK_STRIKE, IK_LINK, IK_HTML };

struct inl {
	enum ikind kind;
	bool opened;
	bool noop;       /* same mark already open: writes nothing */
	size_t open_pos; /* offset of the opener in out (emphasis patching) */
	char delim;      /* '*' or '_' for emphasis */
	size_t sa, sb;   /* strings: url/title or tag text in md->strs */
};

struct lst {
	bool ordered;
	long start;      /* the first number, for the {: start="N"} after it */
	long next;
	size_t marker_w; /* width of the last marker */
	bool tight;      /* nested right under its item's text, no blank line */
};

struct md {
	struct buf *out;
	struct buf prefix;
	struct buf strs;     /* strings of open inline entries */
	struct buf tmp;
	int need_cr;         /* 1 = newline, 2 = blank line */
	int nl;              /* newlines at the end of out (0 = mid-line) */
	bool started;        /* anything written yet */
	bool begin_content;  /* next char is the first of a line's content */
	bool pending_space;
	int pending_br;
	int pending_hbr;     /* <br>s in a heading or cell, written before
	                        the next content (none at its end) */
	unsigned char last;  /* last content byte written */
	bool raw_open;       /* inside {% raw %} */
	/* em delimiters that may need to become '*' (intraword) */
	bool patch_ok;
	size_t patch_a, patch_b;
	/* a closer just written (merging <b>x</b><b>y</b>) */
	bool closed_ok;
	enum ikind closed_kind;
	size_t closed_pos, closed_open_pos;
	char closed_delim;
	/* list markers waiting for their first line, written in place of the
	 * prefix spaces at `at` */
	bool marker_pending;
	struct { size_t at, w; char text[24]; } pend[8];
	size_t npend;
	int heading;         /* inside a heading (no newline allowed) */
	int heading_pending; /* level of a heading whose marker is not written */
	bool soft_blank;     /* the blank line wanted only ends a tight nested
	                        list: the enclosing list's next item takes
	                        one newline (else that list turns loose) */
	int sep_kind;        /* 1 quote, 2 list just ended: the next one of the
	                        same kind needs a separator or they merge */
	size_t sep_prefix;
	size_t quote_len;
	int table;           /* inside a table row */
	bool html_block;
	struct inl *inl;
	size_t ninl, capinl;
	struct lst *lists;
	size_t nlists, caplists;
	bool oom;          /* a scratch buffer failed (kept across resets) */
	/* the code span just written, [code_pos, code_end) of out, and its
	 * text: <code>A</code><code>B</code> is one span, as `A``B` would
	 * read as one span holding A``B */
	struct buf code;
	size_t code_pos, code_end;
};

/* ---- character classes (no <ctype.h>) ---- */

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hspace(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* ---- the lowest level: bytes into out, with Liquid protection ---- */

static void put_byte(struct md *m, unsigned char c)
{
	struct buf *o = m->out;

	if (c == '\n') {
		if (m->raw_open) {
			buf_addstr(o, "{% endraw %}");
			m->raw_open = false;
		}
		buf_addch(o, '\n');
		m->last = '\n';
		return;
	}
	if ((c == '{' || c == '%') && m->last == '{' && o->len > 0 &&
	    o->data[o->len - 1] == '{') {
		if (!m->raw_open) {
			buf_truncate(o, o->len - 1);
			buf_addstr(o, "{% raw %}{");
			m->raw_open = true;
		}
		if (c == '%') /* split so no {% endraw %} can form inside */
			buf_addstr(o, "{% endraw %}{% raw %}");
		buf_addch(o, c);
		m->last = c;
		return;
	}
	buf_addch(o, c);
	if (c == '}' && (m->last == '}' || m->last == '%') && m->raw_open) {
		buf_addstr(o, "{% endraw %}");
		m->raw_open = false;
		m->last = 0;
		return;
	}
	m->last = c;
}

/* Bytes that need put_byte's attention (Liquid, newlines). */
static bool liquid_byte(unsigned char c)
{
	return c == '{' || c == '}' || c == '%' || c == '\n';
}

static void put(struct md *m, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && !liquid_byte((unsigned char)s[j]))
			j++;
		if (j > i) {
			buf_add(m->out, s + i, j - i);
			m->last = (unsigned char)s[j - 1];
			i = j;
		}
		if (i < n)
			put_byte(m, (unsigned char)s[i++]);
	}
}

/* Byte classes, a table (cmark's habit, not <ctype.h> or strchr: this
 * runs for every byte of text): C_SPECIAL for the bytes text_run must look
 * at (the rest are copied in runs), C_HSPACE for HTML whitespace. */
enum { C_SPECIAL = 1, C_HSPACE = 2 };

static const unsigned char cls[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1,
	[0x06] = 1, [0x07] = 1, [0x08] = 1, [0x09] = 3, [0x0a] = 3, [0x0b] = 1,
	[0x0c] = 3, [0x0d] = 3, [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1,
	[0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
	[0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1,
	[0x1e] = 1, [0x1f] = 1, [0x7f] = 1, [' '] = 2,
	['\\'] = 1, ['*'] = 1, ['`'] = 1, ['['] = 1, [']'] = 1, ['|'] = 1, ['<'] = 1,
	['_'] = 1, ['>'] = 1, ['#'] = 1, ['+'] = 1, ['='] = 1, [':'] = 1, ['-'] = 1,
	['.'] = 1, ['$'] = 1, ['{'] = 1, ['}'] = 1, ['%'] = 1, ['!'] = 1, ['&'] = 1,
	['~'] = 1, [')'] = 1, ['^'] = 1,
};

static bool text_special(unsigned char c)
{
	return (cls[c] & C_SPECIAL) != 0;
}

/* Syntax we write: no Liquid scan needed, but keeps `last` honest. */
static void syn(struct md *m, const char *s)
{
	if (m->raw_open) {
		buf_addstr(m->out, "{% endraw %}");
		m->raw_open = false;
	}
	buf_addstr(m->out, s);
	m->last = 0;
	m->closed_ok = false;
	m->patch_ok = false;
}

/* ---- lines ---- */

static void write_prefix(struct md *m, bool blank)
{
	size_t n = m->prefix.len;
	if (blank)
		while (n > 0 && m->prefix.data[n - 1] == ' ')
			n--;
	buf_add(m->out, m->prefix.data, n);
}

static void newline(struct md *m, bool blank_line)
{
	if (blank_line)
		write_prefix(m, true);
	put_byte(m, '\n');
	m->nl++;
	m->patch_ok = false;
	m->closed_ok = false;
}

/* Settles pending newlines and writes the prefix (and a pending list
 * marker) before content. */
static void line_start(struct md *m)
{
	if (!m->started) {
		m->need_cr = 0;
		m->nl = 1;
	}
	while (m->nl < m->need_cr || (m->need_cr > 0 && m->nl == 0)) {
		newline(m, m->nl > 0);
	}
	m->need_cr = 0;
	m->soft_blank = false;
	m->sep_kind = 0;
	if (m->nl > 0) {
		if (m->marker_pending) {
			size_t at = 0;
			for (size_t i = 0; i < m->npend; i++) {
				size_t pa = m->pend[i].at;
				if (pa + m->pend[i].w > m->prefix.len || pa < at)
					continue;
				buf_add(m->out, m->prefix.data + at, pa - at);
				buf_addstr(m->out, m->pend[i].text);
				at = pa + m->pend[i].w;
			}
			buf_add(m->out, m->prefix.data + at, m->prefix.len - at);
			m->marker_pending = false;
			m->npend = 0;
		} else {
			write_prefix(m, false);
		}
		m->nl = 0;
		m->begin_content = true;
		m->last = 0;
	}
	m->started = true;
}

/* Writes pending newlines now (before the prefix changes). */
static void flush_newlines(struct md *m)
{
	if (!m->started) {
		m->need_cr = 0;
		return;
	}
	while (m->nl < m->need_cr || (m->need_cr > 0 && m->nl == 0))
		newline(m, m->nl > 0);
	m->need_cr = 0;
}

static void want_cr(struct md *m, int n)
{
	if (m->marker_pending)
		return; /* the item's first line is still to come */
	if (n >= 2)
		m->soft_blank = false;
	if (n > m->need_cr)
		m->need_cr = n;
}

/* ---- inline stack ---- */

static void close_entry(struct md *m, struct inl *e);
static void open_entry(struct md *m, struct inl *e);

static void flush_inline(struct md *m)
{
	for (size_t i = 0; i < m->ninl; i++)
		if (!m->inl[i].opened && !m->inl[i].noop)
			open_entry(m, &m->inl[i]);
}

/* Closes opened marks before a block boundary; they reopen lazily. */
static void suspend_inline(struct md *m)
{
	for (size_t i = m->ninl; i > 0; i--) {
		struct inl *e = &m->inl[i - 1];
		if (e->opened && !e->noop) {
			close_entry(m, e);
			e->opened = false;
		}
	}
	m->closed_ok = false;
	m->patch_ok = false;
	m->pending_space = false;
	m->pending_br = 0;
}

static void block_boundary(struct md *m, int cr)
{
	suspend_inline(m);
	want_cr(m, cr);
}

/* Called before any visible inline content. */
static void content(struct md *m)
{
	if (m->pending_hbr > 0) {
		int br = m->pending_hbr;
		m->pending_hbr = 0;
		m->pending_space = false;
		while (br-- > 0)
			syn(m, "<br>");
	}
	if (m->pending_br > 0 && m->nl == 0 && m->started && !m->begin_content) {
		int br = m->pending_br;
		m->pending_br = 0;
		m->pending_space = false;
		if (br >= 2) {
			block_boundary(m, 2);
		} else {
			syn(m, "  ");
			newline(m, false);
		}
	}
	m->pending_br = 0;
	line_start(m);
	if (m->heading_pending) {
		static const char hashes[] = "###### ";
		syn(m, hashes + 6 - m->heading_pending);
		m->heading_pending = 0;
		m->begin_content = true;
	}
	if (m->pending_space && !m->begin_content) {
		put_byte(m, ' ');
		m->patch_ok = false;
		m->closed_ok = false;
	}
	m->pending_space = false;
	flush_inline(m);
}

/* ---- text escaping ---- */

static size_t run_len(const char *s, size_t n, size_t i, char c)
{
	size_t a = i, b = i + 1;
	while (a > 0 && s[a - 1] == c)
		a--;
	while (b < n && s[b] == c)
		b++;
	return b - a;
}

/* One word (no HTML whitespace) of text, its line settled (content). */
static void text_run(struct md *m, const char *s, size_t n)
{
	bool word_bol = m->begin_content;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!m->patch_ok && !m->begin_content && !text_special(c)) {
			size_t j = i + 1;
			while (j < n && !text_special((unsigned char)s[j]))
				j++;
			buf_add(m->out, s + i, j - i);
			m->last = (unsigned char)s[j - 1];
			m->closed_ok = false;
			i = j - 1;
			continue;
		}
		unsigned char prev = i > 0 ? (unsigned char)s[i - 1] : m->last;
		unsigned char next = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		bool bol = m->begin_content;
		bool esc = false;

		if (m->patch_ok) {
			if (is_alnum(c) || c == '-') {
				m->out->data[m->patch_a] = '*';
				m->out->data[m->patch_b] = '*';
			}
			m->patch_ok = false;
		}
		m->closed_ok = false;
		if (c < 0x20 || c == 0x7f)
			continue; /* control characters show nothing */
		switch (c) {
		case '\\': case '*': case '`': case '[': case ']': case '|':
		case '<':
			esc = true;
			break;
		case '_':
			esc = !(is_alnum(prev) && is_alnum(next));
			break;
		case '>':
			esc = bol || prev == '>' || next == '>';
			break;
		case '#':
			esc = bol || m->heading;
			break;
		case '+': case '=': case ':':
			esc = bol;
			break;
		case '-':
			esc = bol || run_len(s, n, i, '-') >= 2;
			break;
		case '.':
			esc = run_len(s, n, i, '.') >= 3;
			break;
		case '$':
			esc = run_len(s, n, i, '$') >= 2;
			break;
		case '{':
			esc = next == ':' || (m->heading && next == '#');
			break;
		case '!':
			esc = next == '[';
			break;
		case '^':
			/* "[^x]" is a footnote reference to kramdown, which has
			 * no backslash escape for '^': the entity */
			if (i == 0 && m->out->len > 0 && m->out->data[m->out->len - 1] == '[') {
				put(m, "&#94;", 5);
				m->begin_content = false;
				continue;
			}
			break;
		default:
			break;
		}
		if ((c == '.' || c == ')') && word_bol && i > 0) {
			/* "12." / "3)" at the start of a line: a list marker */
			size_t k = i;
			while (k > 0 && is_digit((unsigned char)s[k - 1]))
				k--;
			if (k == 0)
				esc = true;
		}
		if (c == '&' && (next == '#' || (next < 0x80 && is_alnum(next)))) {
			put(m, "&amp;", 5);
			m->begin_content = false;
			continue;
		}
		if (c == '~' && (bol || run_len(s, n, i, '~') >= 2)) {
			syn(m, "&#126;");
			m->last = '~';
			m->begin_content = false;
			continue;
		}
		if (esc)
			put_byte(m, '\\');
		put_byte(m, c);
		m->begin_content = false;
	}
}

static void text_word(struct md *m, const char *s, size_t n)
{
	content(m);
	text_run(m, s, n);
}

/* After a word of the same text: nothing but a space stands between it
 * and the next one (content() would only write that space). */
static bool mid_line(const struct md *m)
{
	return m->pending_space && !m->begin_content && m->started && m->nl == 0 &&
	       m->need_cr == 0 && m->pending_br == 0 && !m->heading_pending;
}

void md_text(struct md *md, const char *s, size_t n)
{
	bool after_word = false;
	size_t i = 0;

	while (i < n) {
		size_t j;
		unsigned char seen = 0, k;
		bool plain; /* no byte text_run must look at */
		if (cls[(unsigned char)s[i]] & C_HSPACE) {
			md->pending_space = true;
			i++;
			continue;
		}
		j = i;
		while (j < n && !((k = cls[(unsigned char)s[j]]) & C_HSPACE)) {
			seen |= k;
			j++;
		}
		plain = !(seen & C_SPECIAL);
		if (after_word && mid_line(md)) {
			md->pending_space = false;
			md->patch_ok = false;
			md->closed_ok = false;
			if (plain) {
				/* the space (what put_byte does with one) and the word,
				 * which text_run would copy as one run */
				if (s[i - 1] == ' ') {
					buf_add(md->out, s + i - 1, j - i + 1);
				} else {
					buf_addch(md->out, ' ');
					buf_add(md->out, s + i, j - i);
				}
				md->last = (unsigned char)s[j - 1];
			} else {
				buf_addch(md->out, ' ');
				md->last = ' ';
				text_run(md, s + i, j - i);
			}
		} else {
			text_word(md, s + i, j - i);
		}
		after_word = true;
		i = j;
	}
}

void md_space(struct md *md)
{
	md->pending_space = true;
}

void md_linebreak(struct md *md)
{
	if ((md->heading || md->table) && !md->html_block) {
		/* one line of Markdown: the break as inline HTML */
		if (!md->started || md->begin_content || md->heading_pending || md->need_cr > 0)
			return;
		md->pending_space = false;
		md->pending_hbr++;
		return;
	}
	if (md->heading || md->table || md->html_block) {
		md->pending_space = true;
		return;
	}
	if (!md->started || md->need_cr > 0 || md->begin_content ||
	    md->marker_pending)
		return; /* a break at the start of a block shows nothing */
	md->pending_br++;
}

/* ---- inline entries ---- */

static size_t save_str(struct md *m, const char *s)
{
	size_t at = m->strs.len;
	buf_addstr(&m->strs, s ? s : "");
	buf_addch(&m->strs, '\0');
	return at;
}

static struct inl *push_inl(struct md *m, enum ikind k)
{
	struct inl *e;
	if (m->ninl == m->capinl) {
		size_t nc = m->capinl ? m->capinl * 2 : 16;
		struct inl *p = realloc(m->inl, nc * sizeof *p);
		if (!p) {
			m->out->failed = true;
			return NULL;
		}
		m->inl = p;
		m->capinl = nc;
	}
	e = &m->inl[m->ninl++];
	memset(e, 0, sizeof *e);
	e->kind = k;
	e->sa = e->sb = m->strs.len;
	return e;
}

static const char *mark_delim(enum ikind k, char d)
{
	switch (k) {
	case IK_STRONG: return "**";
	case IK_STRIKE: return "~~";
	case IK_EMPH: return d == '*' ? "*" : "_";
	default: return "";
	}
}

static void open_entry(struct md *m, struct inl *e)
{
	e->opened = true;
	switch (e->kind) {
	case IK_LINK:
		if (m->last == '!' && m->out->len > 0 &&
		    m->out->data[m->out->len - 1] == '!') {
			buf_truncate(m->out, m->out->len - 1);
			buf_addstr(m->out, "\\!");
		}
		syn(m, "[");
		break;
	case IK_HTML:
		syn(m, m->strs.data + e->sa);
		break;
	case IK_EMPH:
		e->delim = is_alnum(m->last) || m->last == '-' ? '*' : '_';
		e->open_pos = m->out->len;
		syn(m, mark_delim(e->kind, e->delim));
		break;
	default:
		e->open_pos = m->out->len;
		syn(m, mark_delim(e->kind, e->delim));
		break;
	}
}

static void url_out(struct md *m, const char *u);
static void title_out(struct md *m, const char *t);

static void close_entry(struct md *m, struct inl *e)
{
	size_t pos = m->out->len;
	switch (e->kind) {
	case IK_LINK:
		syn(m, "](");
		url_out(m, m->strs.data + e->sa);
		if (m->strs.data[e->sb]) {
			syn(m, " ");
			title_out(m, m->strs.data + e->sb);
		}
		syn(m, ")");
		m->last = ')';
		return;
	case IK_HTML:
		syn(m, m->strs.data + e->sb);
		m->last = '>';
		return;
	default:
		syn(m, mark_delim(e->kind, e->delim));
		m->last = '*';
		m->closed_ok = true;
		m->closed_kind = e->kind;
		m->closed_pos = pos;
		m->closed_open_pos = e->open_pos;
		m->closed_delim = e->delim;
		if (e->kind == IK_EMPH && e->delim == '_') {
			m->patch_ok = true;
			m->patch_a = e->open_pos;
			m->patch_b = pos;
		}
		return;
	}
}

static bool mark_open(struct md *m, enum ikind k)
{
	for (size_t i = 0; i < m->ninl; i++)
		if (m->inl[i].kind == k && !m->inl[i].noop)
			return true;
	return false;
}

void md_mark_begin(struct md *md, enum md_mark mark)
{
	enum ikind k = mark == MD_STRONG ? IK_STRONG
	             : mark == MD_EMPH ? IK_EMPH : IK_STRIKE;
	bool dup = mark_open(md, k);
	bool all_open = true;
	struct inl *e;

	for (size_t i = 0; i < md->ninl; i++)
		if (!md->inl[i].opened && !md->inl[i].noop)
			all_open = false;
	e = push_inl(md, k);
	if (!e)
		return;
	if (dup) {
		e->noop = true;
		return;
	}
	if (all_open && md->closed_ok && md->closed_kind == k && !md->pending_space &&
	    md->pending_br == 0) {
		/* <b>x</b><b>y</b>: reopen the mark just closed */
		buf_truncate(md->out, md->closed_pos);
		e->opened = true;
		e->open_pos = md->closed_open_pos;
		e->delim = md->closed_delim;
		md->closed_ok = false;
		md->patch_ok = false;
	}
}

static void pop_inl(struct md *m)
{
	struct inl *e;
	if (m->ninl == 0)
		return;
	e = &m->inl[m->ninl - 1];
	if (e->opened && !e->noop)
		close_entry(m, e);
	if (e->kind == IK_LINK || e->kind == IK_HTML)
		buf_truncate(&m->strs, e->sa);
	m->ninl--;
}

void md_mark_end(struct md *md)
{
	pop_inl(md);
}

void md_link_begin(struct md *md, const char *url, const char *title)
{
	struct inl *e = push_inl(md, IK_LINK);
	if (!e)
		return;
	e->sa = save_str(md, url);
	e->sb = save_str(md, title);
}

void md_link_end(struct md *md)
{
	pop_inl(md);
}

/* Link destinations: written by url_serialize, which percent-encodes
 * what could end or confuse it and never writes '{' or '}', so no Liquid
 * markup can form in a URL, whatever the encoding creates (issue 11). */
static void url_out(struct md *m, const char *u)
{
	struct buf b = BUF_INIT(0);

	if (url_serialize(u, &b) == 0 && b.len > 0)
		syn(m, b.data);
	else if (b.failed)
		m->out->failed = true;
	buf_release(&b);
}

/* A link or image title: kramdown reads no backslash escape in titles, so
 * a quote is written as &quot; (CommonMark decodes it too) and a literal
 * '&' before a name as &amp;. */
static void title_out(struct md *m, const char *t)
{
	syn(m, "\"");
	for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
		unsigned char c = *p;
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == '"') {
			syn(m, "&quot;");
			continue;
		}
		if (c == '&') {
			syn(m, "&amp;");
			continue;
		}
		if (c == '\\' || c == '`')
			put_byte(m, '\\');
		put_byte(m, c);
	}
	syn(m, "\"");
}

/* Text on one line, escaped (alt text). */
static void plain_text(struct md *m, const char *s)
{
	bool sp = false;
	bool keep_bol = m->begin_content;
	m->begin_content = false;
	for (const char *p = s; *p; ) {
		size_t k = 0;
		if (is_hspace((unsigned char)*p)) {
			sp = true;
			p++;
			continue;
		}
		while (p[k] && !is_hspace((unsigned char)p[k]))
			k++;
		if (sp)
			put_byte(m, ' ');
		sp = false;
		{
			bool save_sp = m->pending_space;
			m->pending_space = false;
			text_word(m, p, k);
			m->pending_space = save_sp;
		}
		p += k;
	}
	(void)keep_bol;
}

void md_image(struct md *md, const char *src, const char *alt, const char *title)
{
	content(md);
	md->closed_ok = false;
	md->patch_ok = false;
	syn(md, "![");
	plain_text(md, alt ? alt : "");
	syn(md, "](");
	url_out(md, src);
	if (title && *title) {
		syn(md, " ");
		title_out(md, title);
	}
	syn(md, ")");
	md->last = ')';
	md->begin_content = false;
}

static void code_span_write(struct md *md, const char *code, size_t n)
{
	size_t longest = 0, run = 0, ticks;
	bool all_space = true, edge_tick;

	for (size_t i = 0; i < n; i++) {
		if (code[i] == '`') {
			run++;
			if (run > longest)
				longest = run;
		} else {
			run = 0;
		}
		if (code[i] != ' ')
			all_space = false;
	}
	/* longer than any backtick run inside: kramdown closes a span at the
	 * end of any longer run */
	ticks = longest + 1;
	edge_tick = code[0] == '`' || code[n - 1] == '`' || all_space;
	for (size_t t = 0; t < ticks; t++)
		syn(md, "`");
	if (edge_tick)
		syn(md, " ");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)code[i];
		if (c == '\n' || c == '\r' || c == '\t' || c == '\f')
			c = ' ';
		if (c < 0x20 || c == 0x7f)
			continue;
		if (c == '|' && md->table) {
			put_byte(md, '\\');
		}
		put_byte(md, c);
	}
	if (edge_tick)
		syn(md, " ");
	for (size_t t = 0; t < ticks; t++)
		syn(md, "`");
}

/* Trims the white space at both ends of s[*a, *b) as HTML shows it (a
 * space before becomes a pending space).  False when nothing is left. */
static bool trim_edges(struct md *md, const char *s, size_t *a, size_t *b)
{
	while (*a < *b && is_hspace((unsigned char)s[*a]))
		(*a)++;
	while (*b > *a && is_hspace((unsigned char)s[*b - 1]))
		(*b)--;
	if (*a > 0)
		md->pending_space = true;
	return *a < *b;
}

void md_code_span(struct md *md, const char *code, size_t n)
{
	size_t a = 0, b = n;

	/* collapse nothing but newlines; trim edges as HTML shows them */
	if (!trim_edges(md, code, &a, &b))
		return;
	content(md);
	md->closed_ok = false;
	md->patch_ok = false;
	if (a == 0 && !md->pending_space && md->code.len && md->last == '`' &&
	    md->out->len == md->code_end && !md->raw_open) {
		/* right after the last span: rewrite both as one */
		buf_truncate(md->out, md->code_pos);
	} else {
		buf_reset(&md->code);
		md->code_pos = md->out->len;
	}
	buf_add(&md->code, code + a, b - a);
	if (md->code.failed) {
		md->oom = true;
		buf_reset(&md->code);
		code_span_write(md, code + a, b - a);
	} else {
		code_span_write(md, md->code.data, md->code.len);
	}
	md->code_end = md->out->len;
	md->last = '`';
	md->begin_content = false;
	if (b < n)
		md->pending_space = true;
}

/* ---- raw HTML ---- */

static void html_esc(struct md *m, const char *s, size_t n, bool attr, bool pre)
{
	bool sp = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!pre && !attr && is_hspace(c)) {
			sp = true;
			continue;
		}
		if (sp) {
			put_byte(m, ' ');
			sp = false;
		}
		switch (c) {
		case '&': syn(m, "&amp;"); break;
		case '<': syn(m, "&lt;"); break;
		case '>': syn(m, "&gt;"); break;
		case '"': syn(m, "&quot;"); break;
		case '\n': syn(m, "&#10;"); break;
		case '\r': syn(m, "&#13;"); break;
		case '\t': syn(m, pre ? "&#9;" : " "); break;
		default:
			if (c < 0x20 || c == 0x7f)
				break;
			put_byte(m, c);
		}
	}
	if (sp)
		put_byte(m, ' ');
}

static void tag_text(struct md *m, struct buf *b, const char *name,
                     const char *const *attrs, size_t nattrs)
{
	/* builds "<name a="v">" into b via the writer's escaping */
	struct buf *save = m->out;
	bool save_raw = m->raw_open;
	unsigned char save_last = m->last;
	m->out = b;
	m->raw_open = false;
	buf_addch(b, '<');
	buf_addstr(b, name);
	for (size_t i = 0; i + 1 < nattrs * 2; i += 2) {
		buf_addch(b, ' ');
		buf_addstr(b, attrs[i]);
		if (attrs[i + 1]) {
			buf_addstr(b, "=\"");
			html_esc(m, attrs[i + 1], strlen(attrs[i + 1]), true, false);
			buf_addch(b, '"');
		}
	}
	buf_addch(b, '>');
	if (m->raw_open)
		buf_addstr(b, "{% endraw %}");
	m->out = save;
	m->raw_open = save_raw;
	m->last = save_last;
}

/* Empties the scratch buffer, remembering whether filling it failed. */
static void tmp_reset(struct md *md)
{
	if (md->tmp.failed)
		md->oom = true;
	buf_reset(&md->tmp);
}

void md_html_inline_begin(struct md *md, const char *name,
                          const char *const *attrs, size_t nattrs)
{
	struct inl *e = push_inl(md, IK_HTML);
	if (!e)
		return;
	tmp_reset(md);
	tag_text(md, &md->tmp, name, attrs, nattrs);
	e->sa = save_str(md, md->tmp.data);
	tmp_reset(md);
	buf_addf(&md->tmp, "</%s>", name);
	e->sb = save_str(md, md->tmp.data);
}

void md_html_inline_text(struct md *md, const char *s, size_t n)
{
	size_t a = 0, b = n;

	if (!trim_edges(md, s, &a, &b))
		return;
	content(md);
	html_esc(md, s + a, b - a, false, false);
	md->begin_content = false;
	if (b < n)
		md->pending_space = true;
}

void md_html_inline_end(struct md *md)
{
	pop_inl(md);
}

void md_html_block_begin(struct md *md)
{
	block_boundary(md, 2);
	line_start(md);
	md->html_block = true;
}

void md_html_block_end(struct md *md)
{
	md->html_block = false;
	want_cr(md, 2);
}

void md_html_open(struct md *md, const char *name, const char *const *attrs,
                  size_t nattrs)
{
	tmp_reset(md);
	tag_text(md, &md->tmp, name, attrs, nattrs);
	if (md->html_block)
		line_start(md);
	else
		content(md); /* raw HTML inside an inline element */
	syn(md, md->tmp.data);
}

void md_html_close(struct md *md, const char *name)
{
	if (md->html_block)
		line_start(md);
	else
		content(md);
	syn(md, "</");
	syn(md, name);
	syn(md, ">");
}

void md_html_text(struct md *md, const char *s, size_t n, bool pre)
{
	if (!md->html_block) {
		md_html_inline_text(md, s, n);
		return;
	}
	line_start(md);
	html_esc(md, s, n, false, pre);
}

/* ---- blocks ---- */

void md_cr(struct md *md)
{
	block_boundary(md, 1);
}

void md_blankline(struct md *md)
{
	block_boundary(md, 2);
}

void md_heading_begin(struct md *md, int level)
{
	static const char hashes[] = "###### ";
	if (level < 1)
		level = 1;
	if (level > 6)
		level = 6;
	block_boundary(md, 2);
	md->heading_pending = level;
	(void)hashes;
	md->heading++;
}

void md_heading_end(struct md *md)
{
	suspend_inline(md);
	if (md->heading > 0)
		md->heading--;
	md->heading_pending = 0;
	md->pending_hbr = 0;
	want_cr(md, 2);
}

static void separate(struct md *m, int kind)
{
	if (m->sep_kind == kind && m->sep_prefix == m->prefix.len &&
	    !m->marker_pending) {
		block_boundary(m, 2);
		line_start(m);
		syn(m, "<!-- -->");
		want_cr(m, 2);
	}
}

void md_quote_begin(struct md *md)
{
	separate(md, 1);
	block_boundary(md, 2);
	flush_newlines(md);
	buf_addstr(&md->prefix, "> ");
	md->quote_len = md->out->len;
}

void md_quote_end(struct md *md)
{
	suspend_inline(md);
	if (md->out->len == md->quote_len)
		line_start(md); /* an empty quote still shows */
	if (md->prefix.len >= 2)
		buf_truncate(&md->prefix, md->prefix.len - 2);
	want_cr(md, 2);
	md->sep_kind = 1;
	md->sep_prefix = md->prefix.len;
}

void md_list_begin(struct md *md, bool ordered, long start)
{
	struct lst *l;
	/* right under an item's first line of text, a list needs no blank
	 * line (which would make both lists loose: a paragraph per item);
	 * CommonMark lets only a bullet or a 1. interrupt a paragraph */
	bool tight = md->nlists > 0 && md->started && !md->marker_pending &&
	             md->need_cr == 0 && md->nl == 0 &&
	             (!ordered || start < 0 || start == 1);

	separate(md, 2);
	block_boundary(md, md->marker_pending || tight ? 1 : 2);
	if (md->nlists == md->caplists) {
		size_t nc = md->caplists ? md->caplists * 2 : 8;
		struct lst *p = realloc(md->lists, nc * sizeof *p);
		if (!p) {
			md->out->failed = true;
			return;
		}
		md->lists = p;
		md->caplists = nc;
	}
	l = &md->lists[md->nlists++];
	l->ordered = ordered;
	l->next = start < 0 ? 0 : start;
	l->start = l->next;
	l->marker_w = 2;
	l->tight = tight;
}

void md_list_end(struct md *md)
{
	bool tight = false;

	suspend_inline(md);
	if (md->nlists > 0) {
		struct lst *l = &md->lists[--md->nlists];

		tight = l->tight;

		if (l->ordered && l->start != 1 && l->next != l->start) {
			/* kramdown numbers every list from 1: the attribute list
			 * right after the list keeps its first number */
			char ial[48];

			snprintf(ial, sizeof ial, "{: start=\"%ld\"}", l->start);
			if (md->need_cr > 1)
				md->need_cr = 1; /* right after the list, no blank line */
			block_boundary(md, 1);
			line_start(md);
			syn(md, ial);
			md->begin_content = false;
		}
	}
	want_cr(md, 2);
	md->soft_blank = tight;
	md->sep_kind = 2;
	md->sep_prefix = md->prefix.len;
}

void md_item_begin(struct md *md, bool continuation)
{
	struct lst *l;
	char mk[32];
	size_t w;

	if (md->nlists == 0)
		return;
	l = &md->lists[md->nlists - 1];
	if (md->soft_blank && md->need_cr == 2)
		md->need_cr = 1;
	md->soft_blank = false;
	block_boundary(md, 1);
	if (l->ordered) {
		long n = l->next;
		if (n > 999999999L)
			n = 999999999L;
		snprintf(mk, sizeof mk, "%ld. ", n);
		if (!continuation)
			l->next = n + 1;
	} else {
		snprintf(mk, sizeof mk, "- ");
	}
	w = strlen(mk);
	if (continuation) {
		w = l->marker_w;
	} else {
		l->marker_w = w;
		if (md->npend < 8) {
			md->pend[md->npend].at = md->prefix.len;
			md->pend[md->npend].w = w;
			memcpy(md->pend[md->npend].text, mk, w + 1);
			md->npend++;
		}
	}
	for (size_t i = 0; i < w; i++)
		buf_addch(&md->prefix, ' ');
	if (!continuation) {
		want_cr(md, 1);
		md->marker_pending = true;
	}
}

void md_item_end(struct md *md)
{
	size_t w;
	suspend_inline(md);
	if (md->nlists == 0)
		return;
	if (md->marker_pending && md->npend > 0 &&
	    md->pend[md->npend - 1].at + md->lists[md->nlists - 1].marker_w ==
	    md->prefix.len)
		line_start(md); /* empty item: the marker alone */
	w = md->lists[md->nlists - 1].marker_w;
	if (md->prefix.len >= w)
		buf_truncate(&md->prefix, md->prefix.len - w);
	want_cr(md, 1);
}

void md_task(struct md *md, bool checked)
{
	content(md);
	syn(md, checked ? "[x]" : "[ ]");
	md->begin_content = false;
	md->pending_space = true;
}

void md_hr(struct md *md)
{
	block_boundary(md, 2);
	line_start(md);
	syn(md, "---");
	md->begin_content = false;
	want_cr(md, 2);
}

void md_code_block(struct md *md, const char *info, const char *code, size_t n)
{
	size_t longest = 0, run = 0, fence;
	char fc = '`';

	while (n > 0 && (code[n - 1] == '\n' || code[n - 1] == '\r'))
		n--;
	for (size_t i = 0; i < n; i++) {
		run = code[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	if (info && strchr(info, '`'))
		fc = '~';
	fence = longest + 1 > 3 ? longest + 1 : 3;
	if (fc == '~') {
		size_t tl = 0;
		run = 0;
		for (size_t i = 0; i < n; i++) {
			run = code[i] == '~' ? run + 1 : 0;
			if (run > tl)
				tl = run;
		}
		fence = tl + 1 > 3 ? tl + 1 : 3;
	}
	block_boundary(md, 2);
	line_start(md);
	for (size_t i = 0; i < fence; i++)
		buf_addch(md->out, fc);
	if (info && *info) {
		for (const unsigned char *p = (const unsigned char *)info; *p; p++)
			if (*p > 0x20 && *p != 0x7f && *p != '{' && *p != '}')
				put_byte(md, *p);
	}
	newline(md, false);
	{
		size_t i = 0;
		while (i < n) {
			size_t j = i;
			while (j < n && code[j] != '\n')
				j++;
			if (j == i || (j == i + 1 && code[i] == '\r')) {
				write_prefix(md, true);
			} else {
				write_prefix(md, false);
				for (size_t k = i; k < j; k++) {
					unsigned char c = (unsigned char)code[k];
					if (c == '\r' && k + 1 == j)
						continue;
					if ((c < 0x20 && c != '\t') || c == 0x7f)
						continue;
					put_byte(md, c);
				}
			}
			put_byte(md, '\n');
			i = j + 1;
		}
	}
	write_prefix(md, false);
	for (size_t i = 0; i < fence; i++)
		buf_addch(md->out, fc);
	md->nl = 0;
	md->last = 0;
	want_cr(md, 2);
}

void md_table_begin(struct md *md)
{
	block_boundary(md, 2);
}

void md_table_row_begin(struct md *md)
{
	block_boundary(md, 1);
	line_start(md);
	syn(md, "|");
	md->table++;
}

void md_table_cell_begin(struct md *md)
{
	syn(md, " ");
	md->pending_space = false;
	md->begin_content = true;
}

void md_table_cell_end(struct md *md)
{
	suspend_inline(md);
	md->pending_hbr = 0;
	syn(md, " |");
	md->begin_content = false;
}

void md_table_row_end(struct md *md, int header_cols)
{
	if (md->table > 0)
		md->table--;
	md->need_cr = 0;
	if (header_cols > 0) {
		newline(md, false);
		write_prefix(md, false);
		syn(md, "|");
		for (int i = 0; i < header_cols; i++)
			syn(md, " --- |");
		md->nl = 0;
	}
	want_cr(md, 1);
}

void md_table_end(struct md *md)
{
	want_cr(md, 2);
}

/* ---- life cycle ---- */

int md_new(struct md **mdp, struct buf *out, struct m2j_err *err)
{
	struct md *m = calloc(1, sizeof *m);
	if (!m)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	m->out = out;
	buf_init(&m->prefix, 0);
	buf_init(&m->strs, 0);
	buf_init(&m->tmp, 0);
	buf_init(&m->code, 0);
	m->nl = 0;
	*mdp = m;
	return 0;
}

void md_free(struct md *md)
{
	if (!md)
		return;
	buf_release(&md->prefix);
	buf_release(&md->strs);
	buf_release(&md->tmp);
	buf_release(&md->code);
	free(md->inl);
	free(md->lists);
	free(md);
}

int md_finish(struct md *md, struct m2j_err *err)
{
	while (md->ninl > 0)
		pop_inl(md);
	if (md->started) {
		if (md->raw_open)
			syn(md, "");
		if (md->nl == 0)
			buf_addch(md->out, '\n');
	}
	if (md->out->failed || md->prefix.failed || md->strs.failed || md->tmp.failed || md->oom) {
		if (md->out->too_big)
			return m2j_err_set(err, M2J_ELIMIT, "Markdown output too large");
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	return 0;
}
