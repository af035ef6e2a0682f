/* test_md.c - the Markdown writer's escaping and layout. */
#include <string.h>

#include "harness.h"
#include "md.h"

#define TEXT(s) md_text(m, (s), strlen(s))

static struct md *m;
static struct buf out;

static void start(void)
{
	struct m2j_err err = { 0, "" };
	buf_init(&out, 0);
	md_new(&m, &out, &err);
}

static void check(const char *want, const char *name)
{
	struct m2j_err err = { 0, "" };
	INT_EQ(md_finish(m, &err), 0, "%s finishes", name);
	STR_EQ(out.data, want, "%s", name);
	md_free(m);
	buf_release(&out);
}

static void text_case(const char *in, const char *want)
{
	start();
	TEXT(in);
	check(want, in);
}

int main(void)
{
	text_case("a*b_c d_ [x] `y` \\ |", "a\\*b_c d\\_ \\[x\\] \\`y\\` \\\\ \\|\n");
	text_case("# h", "\\# h\n");
	text_case("> q", "\\> q\n");
	text_case("- l", "\\- l\n");
	text_case("+ l", "\\+ l\n");
	text_case("= s", "\\= s\n");
	text_case("12. n", "12\\. n\n");
	text_case("3) n", "3\\) n\n");
	text_case(": d", "\\: d\n");
	text_case("a -- b --- c ... d", "a \\-\\- b \\-\\-\\- c \\.\\.\\. d\n");
	text_case("<<x>>", "\\<\\<x\\>\\>\n");
	text_case("$$m$$ $5", "\\$\\$m\\$\\$ $5\n");
	text_case("{:x} {::y} {z}", "\\{:x} \\{::y} {z}\n");
	text_case("&amp; & &#1; R&D", "&amp;amp; & &amp;#1; R&amp;D\n");
	text_case("~~s~~", "&#126;&#126;s&#126;&#126;\n");
	text_case("![x]", "\\!\\[x\\]\n");
	text_case("  a \n\t b  ", "a b\n");
	text_case("{{ x }}", "{% raw %}{{ x }}{% endraw %}\n");
	text_case("{% endraw %}", "{% raw %}{{% endraw %}{% raw %}% endraw %}{% endraw %}\n");
	text_case("", "");

	start();
	TEXT("a");
	md_mark_begin(m, MD_STRONG);
	TEXT("bold ");
	md_mark_end(m);
	TEXT("b");
	md_mark_begin(m, MD_EMPH);
	md_mark_end(m);
	check("a**bold** b\n", "marks: space moves out, empty mark vanishes");

	start();
	md_mark_begin(m, MD_EMPH);
	TEXT("x");
	md_mark_end(m);
	md_mark_begin(m, MD_EMPH);
	TEXT("y");
	md_mark_end(m);
	TEXT("z");
	check("*xy*z\n", "adjacent marks merge; intraword emphasis uses *");

	start();
	md_link_begin(m, "https://e.com/a b(c)", "t \"q\"");
	TEXT("l");
	md_link_end(m);
	md_image(m, "https://e.com/i.png?a=1&b=2&amp;c&#1;", "a]", NULL);
	check("[l](https://e.com/a%20b%28c%29 \"t &quot;q&quot;\")![a\\]](https://e.com/i.png?a=1&b=2%26amp;c%26#1;)\n",
	      "link and image destinations and titles");

	/* issue 11: percent-encoding creates no Liquid markup */
	start();
	md_link_begin(m, "https://x.com/#{\"a\":1}", NULL);
	TEXT("t");
	md_link_end(m);
	TEXT(" ");
	md_image(m, "https://x.com/{%25 x %25}/{{y}}.png", "i", NULL);
	check("[t](https://x.com/#%7B%22a%22:1%7D) ![i](https://x.com/%7B%25%20x%20%25%7D/%7B%7By%7D%7D.png)\n",
	      "URLs with { } % \" and spaces: no {% or {{ after encoding");

	start();
	md_code_span(m, "a``b", 4);
	TEXT(" ");
	md_code_span(m, "`x", 2);
	check("```a``b``` `` `x ``\n", "code spans");

	start();
	md_quote_begin(m);
	TEXT("q");
	md_blankline(m);
	md_list_begin(m, true, 9);
	md_item_begin(m, false);
	TEXT("nine");
	md_item_end(m);
	md_item_begin(m, false);
	md_code_block(m, "c", "x\n\n  y\n", 7);
	md_item_end(m);
	md_list_end(m);
	md_quote_end(m);
	check("> q\n>\n> 9. nine\n> 10. ```c\n>     x\n>\n>       y\n>     ```\n> {: start=\"9\"}\n",
	      "prefix stack: quote, ordered list, code block");

	start();
	TEXT("a");
	md_linebreak(m);
	TEXT("b");
	md_hr(m);
	md_heading_begin(m, 2);
	TEXT("h #");
	md_heading_end(m);
	check("a  \nb\n\n---\n\n## h \\#\n", "hard break, rule, heading");

	start();
	md_table_begin(m);
	md_table_row_begin(m);
	md_table_cell_begin(m);
	TEXT("a|b");
	md_table_cell_end(m);
	md_table_row_end(m, 1);
	md_table_row_begin(m);
	md_table_cell_begin(m);
	TEXT("- c");
	md_table_cell_end(m);
	md_table_row_end(m, 0);
	md_table_end(m);
	check("| a\\|b |\n| --- |\n| \\- c |\n", "pipe table");

	start();
	md_html_block_begin(m);
	{
		const char *at[] = { "title", "a\"<b>&" };
		md_html_open(m, "abbr", at, 1);
	}
	md_html_text(m, "x < y\n z", 8, false);
	md_html_close(m, "abbr");
	md_html_block_end(m);
	check("<abbr title=\"a&quot;&lt;b&gt;&amp;\">x &lt; y z</abbr>\n", "html block");
	return HARNESS_END();
}
