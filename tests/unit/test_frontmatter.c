#include "harness.h"
#include "frontmatter.h"

#include <stdlib.h>
#include <string.h>

static const char *golden =
	"---\n"
	"layout: post-external\n"
	"title: |\n"
	"  We can \xE2\x80\x98level up\xE2\x80\x99 by transforming commissioning\n"
	"date: 2022-02-02 01:24:00 +0000\n"
	"author: 100047\n"
	"original_link: https://antlerboy.medium.com/we-can-level-up-by-transforming-commissioning-ee6bf52b539c?source=rss-97852f5a56ae------2\n"
	"---\n";

static void roundtrip(const char *title, const char *author)
{
	struct fm_entry e[] = {
		{ "layout", FM_STRING, "post-external", NULL, 0 },
		{ "title", FM_LITERAL, title, NULL, 0 },
		{ "date", FM_DATE, "2022-02-02 01:24:00 +0000", NULL, 0 },
		{ "author", FM_ID, author, NULL, 0 },
	};
	static const char *const keys[] = { "layout", "title", "date", "author", "evil" };
	char *vals[5];
	struct buf b = BUF_INIT(0);
	struct m2j_err err = { 0, "" };
	int rc = frontmatter_emit(e, 4, &b, &err);
	size_t i;

	INT_EQ(rc, 0, "fm: emit title %.30s", title);
	rc = frontmatter_read(b.data, b.len, keys, 5, vals, NULL, &err);
	INT_EQ(rc, 0, "fm: read back (%s)", err.msg);
	if (rc == 0) {
		char want[256];

		/* a literal block keeps one final newline, as the reference post has */
		snprintf(want, sizeof want, "%s%s", title, title[0] ? "\n" : "");
		STR_EQ(vals[1], want, "fm: title round-trips");
		STR_EQ(vals[0], "post-external", "fm: layout unchanged by title");
		STR_EQ(vals[3], author, "fm: author round-trips");
		OK(vals[4] == NULL, "fm: title adds no key");
		for (i = 0; i < 5; i++)
			free(vals[i]);
	}
	buf_release(&b);
}

int main(void)
{
	struct fm_entry e[] = {
		{ "layout", FM_STRING, "post-external", NULL, 0 },
		{ "title", FM_LITERAL, "We can \xE2\x80\x98level up\xE2\x80\x99 by transforming commissioning", NULL, 0 },
		{ "date", FM_DATE, "2022-02-02 01:24:00 +0000", NULL, 0 },
		{ "author", FM_ID, "100047", NULL, 0 },
		{ "original_link", FM_STRING, "https://antlerboy.medium.com/we-can-level-up-by-transforming-commissioning-ee6bf52b539c?source=rss-97852f5a56ae------2", NULL, 0 },
	};
	static const char *const hostile[] = {
		"yes", "no", "null", "~", "12345", "0123", "2022-01-01", "1.5", ".inf",
		"true", "On", "---", "...", "a: b", "key: value\nother: x", "# comment",
		"'quoted'", "\"dq\"", "- item", "[a, b]", "{a: b}", "&anchor", "*alias",
		"!tag", "%YAML", "@at", "`tick`", "|", ">", "  leading spaces",
		"trailing spaces  ", "tab\there", "ctrl\x01" "char", "bidi \xE2\x80\xAE" "evil",
		"nbsp\xC2\xA0" "x", "line\nbreak", "\n", "<<", "=", "a #b", "x\r\ny",
		"\xEF\xBB\xBF" "bom", "end\\", "{{ page.title }}", "{% raw %}", "",
	};
	static const char *const keys[] = { "title", "author" };
	char *vals[2];
	struct buf b = BUF_INIT(0);
	struct m2j_err err = { 0, "" };
	size_t i, off;

	INT_EQ(frontmatter_emit(e, 5, &b, &err), 0, "fm: emit golden");
	STR_EQ(b.data, golden, "fm: golden front matter byte for byte");
	buf_reset(&b);
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
		roundtrip(hostile[i], "100047");
	roundtrip("t", "0123");
	roundtrip("t", "yes");
	roundtrip("t", "jane-doe");
	/* read: hand-edited posts */
	{
		const char *doc = "---\ntitle: \"Edited\"\ntags: [a, b]\nauthor:\n  name: x\noriginal_link: https://x/y\n---\nbody\n";
		static const char *const k2[] = { "title", "original_link" };

		INT_EQ(frontmatter_read(doc, strlen(doc), k2, 2, vals, &off, &err), 0, "fm: read edited");
		STR_EQ(vals[0], "Edited", "fm: read title");
		STR_EQ(vals[1], "https://x/y", "fm: read link after nested values");
		STR_EQ(doc + off, "body\n", "fm: body offset");
		free(vals[0]);
		free(vals[1]);
	}
	OK(frontmatter_read("no front matter", 15, keys, 2, vals, NULL, &err) == M2J_EPARSE,
	   "fm: no front matter is an error");
	OK(frontmatter_read("---\n: : [\n---\n", 14, keys, 2, vals, NULL, &err) == M2J_EPARSE,
	   "fm: bad YAML is an error");
	buf_release(&b);
	return HARNESS_END();
}
