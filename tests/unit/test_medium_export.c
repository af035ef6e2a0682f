/* test_medium_export.c - Medium export files -> items, the body rewrite,
 * file names, and marchive's member-name check. */
#include "harness.h"
#include "html2md.h"
#include "marchive.h"
#include "medium_export.h"

#include <stdlib.h>

/* medium_export_body then html2md: the Markdown a fragment becomes. */
static char *md_of(const char *html, const char *title)
{
	struct buf md = BUF_INIT(0);
	struct m2j_err e = { 0, "" };
	struct htmldoc d;
	htmlDocPtr doc = NULL;
	int rc = medium_export_body(html, strlen(html), title, &doc, &e);

	htmldoc_adopt(&d, doc);
	if (rc || html2md_convert_doc(&d, NULL, &md, &e)) {
		htmldoc_release(&d);
		buf_release(&md);
		return NULL;
	}
	htmldoc_release(&d);
	return buf_detach(&md, NULL);
}

/* The Markdown of a parsed post's body tree (NULL when none). */
static char *body_md(const struct medium_export_post *p)
{
	struct buf md = BUF_INIT(0);
	struct htmldoc d = { p->body, false };

	if (!p->body || html2md_convert_doc(&d, NULL, &md, NULL)) {
		buf_release(&md);
		return NULL;
	}
	return buf_detach(&md, NULL);
}

#define MD_EQ(html, title, want, ...) do { \
	char *got_ = md_of(html, title); \
	STR_EQ(got_, want, __VA_ARGS__); \
	free(got_); \
} while (0)

#define SEC(x) "<section data-field=\"body\" class=\"e-content\"><section name=\"a\" " \
	"class=\"section section--body section--first\"><div class=\"section-divider\">" \
	"<hr class=\"section-divider\"></div><div class=\"section-content\"><div " \
	"class=\"section-inner sectionLayout--insetColumn\">" x "</div></div></section></section>"

static void test_names(void)
{
	bool d;
	char id[13];

	OK(medium_export_name("2020-08-04_Sum-of-Three-Numbers-d524c013ef85.html", &d, id) && !d &&
	   strcmp(id, "d524c013ef85") == 0, "name: dated post, 12-digit id");
	OK(medium_export_name("2021-06-24_This-is-helpful--8aa1763c028.html", &d, id) &&
	   strcmp(id, "8aa1763c028") == 0, "name: 11-digit id");
	OK(medium_export_name("draft_----Alabama-Song-aff54c98368b.html", &d, id) && d &&
	   strcmp(id, "aff54c98368b") == 0, "name: draft");
	OK(!medium_export_name("README.html", &d, id), "name: README.html is no post");
	OK(!medium_export_name("2020-08-04_Sum-d524c013ef85.htm", &d, id), "name: .htm is no post");
	OK(!medium_export_name("2020-08-04_Sum-d524c013ef8Z.html", &d, id), "name: no hex id");
	OK(!medium_export_name("20200804_Sum-d524c013ef85.html", &d, id), "name: bad date");
	OK(!medium_export_name("bookmarks-0001.html", &d, id), "name: other export page");
}

static void test_body(void)
{
	MD_EQ(SEC("<h3 class=\"graf graf--h3 graf--leading graf--title\">T</h3>"
	          "<p class=\"graf graf--p\">Hello</p>"), "T", "Hello\n",
	      "body: the title graf and the first divider are dropped");
	MD_EQ(SEC("<h2 class=\"graf graf--h2 graf--title\">Other</h2><p class=\"graf graf--p\">x</p>"),
	      "T", "x\n", "body: a graf--title is dropped even when it differs (h2)");
	MD_EQ(SEC("<p class=\"graf graf--p\">T</p><p class=\"graf graf--p\">x</p>"), "T", "x\n",
	      "body: a plain first graf equal to the title is dropped");
	MD_EQ(SEC("<p class=\"graf graf--p\">x</p><p class=\"graf graf--p\">T</p>"), "T", "x\n\nT\n",
	      "body: only the first graf can be the title");
	MD_EQ(SEC("<pre class=\"graf graf--pre\">a &lt; b<br>  c</pre>"), NULL,
	      "```\na < b\n  c\n```\n", "body: pre with <br> lines");
	MD_EQ(SEC("<pre class=\"graf graf--pre\"><code class=\"markup--code markup--pre-code\">x = 1"
	          "</code></pre>"), NULL, "```\nx = 1\n```\n", "body: pre > code");
	MD_EQ(SEC("<pre data-code-block-mode=\"2\" data-code-block-lang=\"swift\" class=\"graf "
	          "graf--pre graf--preV2\"><span class=\"pre--content\"><span class=\"hljs-keyword\">"
	          "let</span> a = 1<br />a += 1</span></pre>"), NULL,
	      "```swift\nlet a = 1\na += 1\n```\n", "body: preV2 with its language");
	MD_EQ(SEC("<pre class=\"graf graf--pre\">a</pre><pre class=\"graf graf--pre "
	          "graf-after--pre\">b</pre><p class=\"graf graf--p\">c</p><pre class=\"graf "
	          "graf--pre\">d</pre>"), NULL, "```\na\nb\n```\n\nc\n\n```\nd\n```\n",
	      "body: consecutive code grafs are one block");
	MD_EQ(SEC("<figure class=\"graf graf--figure\"><div class=\"aspectRatioPlaceholder\">"
	          "<img class=\"graf-image\" data-image-id=\"1*a.png\" src=\"https://cdn-images-1."
	          "medium.com/max/800/1*a.png\"></div></figure>"), NULL,
	      "![](https://cdn-images-1.medium.com/max/800/1*a.png)\n", "body: figure without caption");
	MD_EQ(SEC("<figure class=\"graf graf--figure graf--layoutOutsetRow\" style=\"width: 50%;\">"
	          "<img class=\"graf-image\" src=\"https://x.org/a.png\"></figure><figure class=\"graf "
	          "graf--figure graf--layoutOutsetRowContinue\"><img class=\"graf-image\" "
	          "src=\"https://x.org/b.png\"></figure>"), NULL,
	      "![](https://x.org/a.png) ![](https://x.org/b.png)\n", "body: an image row is one paragraph");
	MD_EQ(SEC("<div class=\"graf graf--mixtapeEmbed\"><a href=\"https://github.com/a/b\" "
	          "class=\"markup--anchor markup--mixtapeEmbed-anchor\" title=\"https://github.com/a/b\">"
	          "<strong class=\"markup--strong\">a/b</strong><br><em>Desc</em>github.com</a>"
	          "<a href=\"https://github.com/a/b\" class=\"js-mixtapeImage mixtapeImage\" "
	          "style=\"background-image: url(x);\"></a></div>"), NULL,
	      "[a/b](https://github.com/a/b)\n", "body: link card -> link with its title");
	MD_EQ(SEC("<figure class=\"graf graf--figure graf--iframe\"><script src=\"https://gist.github.com"
	          "/u/0123abc.js\"></script></figure>"), NULL,
	      "[https://gist.github.com/u/0123abc](https://gist.github.com/u/0123abc)\n",
	      "body: gist script -> link to the gist");
	MD_EQ(SEC("<p class=\"graf graf--p graf--hasDropCap\"><span class=\"graf-dropCap\">C</span>"
	          "ode</p>"), NULL, "Code\n", "body: drop cap, no stray letter");
	MD_EQ(SEC("<p class=\"graf graf--p graf--empty\"><br></p><p class=\"graf graf--p\">x</p>"),
	      NULL, "x\n", "body: empty grafs dropped");
	MD_EQ(SEC("<h3 class=\"graf graf--h3\"><strong class=\"markup--strong\">Bold</strong></h3>"
	          "<p class=\"graf graf--p\">x</p>"), NULL, "### Bold\n\nx\n",
	      "body: strong wrapping a whole heading dropped");
	MD_EQ(SEC("<p class=\"graf graf--p\">Hi <a href=\"https://medium.com/u/3a7\" data-user-id=\"3a7\""
	          " class=\"markup--user markup--p-user\">Dyson</a></p>"), NULL,
	      "Hi [Dyson](https://medium.com/u/3a7)\n", "body: user mention is a link");
	MD_EQ(SEC("<blockquote class=\"graf graf--pullquote\">Q</blockquote><p class=\"graf "
	          "graf--p\">x</p>"), NULL, "> Q\n\nx\n", "body: pull quote");
	MD_EQ("<section data-field=\"body\"><section class=\"section section--body section--first\">"
	      "<div class=\"section-divider\"><hr class=\"section-divider\"></div><p class=\"graf "
	      "graf--p\">a</p></section><section class=\"section section--body\"><div class=\""
	      "section-divider\"><hr class=\"section-divider\"></div><p class=\"graf graf--p\">b</p>"
	      "</section></section>", NULL, "a\n\n---\n\nb\n", "body: a later section break is a rule");
}

static const char doc_pub[] =
	"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>My Post</title></head><body>"
	"<article class=\"h-entry\"><header><h1 class=\"p-name\">My  Post</h1></header>"
	"<section data-field=\"subtitle\" class=\"p-summary\">\nThe sub\n</section>"
	SEC("<h3 class=\"graf graf--h3 graf--title\">My Post</h3><p class=\"graf graf--p\">Body</p>")
	"<footer><p>By <a href=\"https://medium.com/@u\" class=\"p-author h-card\">U Ser</a> on <a "
	"href=\"https://medium.com/p/0123456789ab\"><time class=\"dt-published\" datetime=\""
	"2019-07-31T09:21:58.901Z\">July 31, 2019</time></a>.</p><p><a href=\"https://medium.com/"
	"@u/my-post-0123456789ab\" class=\"p-canonical\">Canonical link</a></p><p>Exported from <a "
	"href=\"https://medium.com\">Medium</a> on November 16, 2025.</p></footer></article></body></html>";

static const char doc_draft[] =
	"<html><body><article class=\"h-entry\"><header><h1 class=\"p-name\">Draft</h1></header>"
	SEC("<p class=\"graf graf--p\">Text</p>")
	"<footer><p><a href=\"https://medium.com/p/aaaaaaaaaa\">View original.</a></p><p>Exported "
	"from <a href=\"https://medium.com\">Medium</a> on July 1, 2021.</p></footer></article></body></html>";

static const char doc_resp[] =
	"<html><body><article class=\"h-entry\"><header><h1 class=\"p-name\">Whoops, thanks :)</h1>"
	"</header>" SEC("<p class=\"graf graf--p graf--leading\">Whoops, thanks\xC2\xA0:)</p>")
	"<footer><p>By <a href=\"https://medium.com/@u\" class=\"p-author h-card\">U</a> on <a "
	"href=\"https://medium.com/p/bbbbbbbbbb\"><time class=\"dt-published\" datetime=\""
	"2016-10-05T04:36:51.280Z\">x</time></a>.</p></footer></article></body></html>";

static void test_parse(void)
{
	struct medium_export_post p;
	struct m2j_err e = { 0, "" };
	int rc;

	rc = medium_export_parse("2019-07-31_My-Post-0123456789ab.html", doc_pub, strlen(doc_pub), &p, &e);
	INT_EQ(rc, 0, "parse: a published post");
	if (rc == 0) {
		STR_EQ(p.item.title, "My Post", "parse: title from h1.p-name, whitespace collapsed");
		STR_EQ(p.subtitle, "The sub", "parse: subtitle");
		STR_EQ(p.item.guid, "https://medium.com/p/0123456789ab", "parse: guid from the id");
		STR_EQ(p.item.link, "https://medium.com/@u/my-post-0123456789ab", "parse: canonical link");
		STR_EQ(p.item.author, "U Ser", "parse: author display name");
		OK(p.item.has_date && p.item.date == 1564564918, "parse: dt-published, UTC");
		OK(!p.draft && !p.response && p.has_title_graf, "parse: not a draft, not a response");
		char *m = body_md(&p);

		OK(m && strcmp(m, "Body\n") == 0, "parse: body rewritten as a tree, title graf gone: [%s]",
		   m ? m : "(null)");
		free(m);
		medium_export_release(&p);
	}
	rc = medium_export_parse("draft_Draft-aaaaaaaaaa.html", doc_draft, strlen(doc_draft), &p, &e);
	INT_EQ(rc, 0, "parse: a draft");
	if (rc == 0) {
		OK(p.draft && p.item.has_date && p.item.date == 1625097600,
		   "parse: a draft is dated the day of the export");
		STR_EQ(p.item.link, "https://medium.com/p/aaaaaaaaaa", "parse: a draft links to /p/<id>");
		OK(!p.response && !p.item.author, "parse: draft has no author, is no response");
		medium_export_release(&p);
	}
	rc = medium_export_parse(NULL, doc_draft, strlen(doc_draft), &p, &e);
	OK(rc == 0 && p.draft && strcmp(p.id, "aaaaaaaaaa") == 0,
	   "parse: without a file name, id and draft from the footer");
	if (rc == 0)
		medium_export_release(&p);
	rc = medium_export_parse("2016-10-05_Whoops-bbbbbbbbbb.html", doc_resp, strlen(doc_resp), &p, &e);
	OK(rc == 0 && p.response, "parse: a response (title = opening words, nbsp in the text)");
	if (rc == 0) {
		char *m = body_md(&p);

		OK(m && strstr(m, "Whoops") != NULL, "parse: a response keeps its text");
		free(m);
		medium_export_release(&p);
	}
	rc = medium_export_parse("2020-01-01_X-cccccccccc.html", "<html><body><p>hi</p></body></html>",
	                         35, &p, &e);
	INT_EQ(rc, M2J_ENOTFEED, "parse: an HTML page that is no post");
	rc = medium_export_parse("2020-01-01_X-cccccccccc.html", "\xff\xfe\x00\x01", 4, &p, &e);
	INT_EQ(rc, M2J_ENOTFEED, "parse: binary data");
	rc = medium_export_parse("x.html", doc_pub, 0, &p, &e);
	INT_EQ(rc, M2J_ENOTFEED, "parse: empty file");
}

static void test_names_safe(void)
{
	const char *why = NULL;

	OK(marchive_name_safe("posts/2020-01-01_a-0123456789.html", &why), "member: plain path");
	OK(marchive_name_safe("./posts/a..b.html", &why), "member: dots inside a name");
	OK(!marchive_name_safe("../x.html", &why), "member: ../ refused");
	OK(!marchive_name_safe("posts/../../x.html", &why), "member: inner .. refused");
	OK(!marchive_name_safe("posts/..", &why), "member: final .. refused");
	OK(!marchive_name_safe("/etc/passwd", &why), "member: absolute refused");
	OK(!marchive_name_safe("C:x.html", &why), "member: drive letter refused");
	OK(!marchive_name_safe("posts\\..\\x.html", &why), "member: backslash refused");
	OK(!marchive_name_safe("posts/a\nb.html", &why), "member: control character refused");
	OK(!marchive_name_safe("", &why), "member: empty refused");
}

int main(void)
{
	test_names();
	test_body();
	test_parse();
	test_names_safe();
	return HARNESS_END();
}
