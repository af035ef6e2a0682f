#include "harness.h"
#include "config.h"
#include "post.h"

#include <stdlib.h>
#include <string.h>

static char root[1024];

static const char *fixture(const char *name)
{
	static char path[2048];

	snprintf(path, sizeof path, "%s/%s", root, name);
	return path;
}

static struct config *good(const char *name, const char *text)
{
	struct config *c = NULL;
	struct m2j_err err = { 0, "" };
	int rc = config_parse(text, strlen(text), "site/m.yml", &c, &err);

	INT_EQ(rc, 0, "config: %s parses (%s)", name, err.msg);
	return c;
}

static void bad(const char *name, const char *text, const char *want)
{
	struct config *c = NULL;
	struct m2j_err err = { 0, "" };
	int rc = config_parse(text, strlen(text), "m.yml", &c, &err);

	INT_EQ(rc, M2J_EUSAGE, "config: %s is rejected", name);
	STR_EQ(err.msg, want, "config: %s: message", name);
	OK(c == NULL, "config: %s: no config returned", name);
	config_free(c);
}

static void test_full(void)
{
	struct config *c = NULL;
	struct m2j_err err = { 0, "" };
	int rc = config_load(fixture("fixtures/config/full.yml"), &c, &err);

	INT_EQ(rc, 0, "config: full.yml loads (%s)", err.msg);
	if (rc)
		return;
	STR_EQ(c->path, fixture("fixtures/config/full.yml"), "full: path kept");
	STR_EQ(c->output, fixture("fixtures/config/site/_posts"), "full: output, relative to the config folder");
	STR_EQ(c->layout, "post", "full: layout");
	STR_EQ(c->state, "/var/lib/m2j/state.yml", "full: absolute state kept");
	INT_EQ(c->concurrency, 16, "full: concurrency");
	INT_EQ(c->per_host, 4, "full: per_host");
	INT_EQ(c->timeout, 120, "full: timeout");
	INT_EQ(c->connect_timeout, 5, "full: connect_timeout");
	INT_EQ(c->max_size, 512 * 1024, "full: max_size 512k");
	STR_EQ(c->user_agent, "Example Bot/1.0 (+https://example.org)", "full: user_agent");
	INT_EQ(c->include_responses, 1, "full: include_responses yes");
	INT_EQ(c->update, 0, "full: update No");
	INT_EQ(c->failures_before_report, 3, "full: failures_before_report");
	STR_EQ(c->author, "editors", "full: site author");
	INT_EQ(c->nfeeds, 3, "full: three feeds");
	if (c->nfeeds == 3) {
		struct config_feed *f = c->feeds;

		STR_EQ(f[0].url, "https://medium.com/feed/@antlerboy", "full: medium: @name -> URL");
		STR_EQ(f[0].medium, "antlerboy", "full: medium name without @");
		STR_EQ(f[0].author, "100047", "full: integer author kept as written");
		OK(f[0].output == NULL && f[0].layout == NULL && f[0].include_responses == -1,
		   "full: feed 1 has no overrides");
		INT_EQ(f[0].line, 16, "full: feed 1 line");
		INT_EQ(f[0].column, 5, "full: feed 1 column");
		STR_EQ(config_feed_output(c, &f[0]), fixture("fixtures/config/site/_posts"), "full: feed 1 output falls back");
		STR_EQ(config_feed_layout(c, &f[0]), "post", "full: feed 1 layout falls back");
		OK(config_feed_include_responses(c, &f[0]), "full: feed 1 include_responses falls back");
		STR_EQ(f[1].url, "HTTPS://Blog.Example.org/feed.xml", "full: url kept as written");
		OK(f[1].medium == NULL, "full: url feed has no medium name");
		STR_EQ(f[1].output, fixture("fixtures/config/_posts/guests"), "full: feed output override");
		STR_EQ(f[1].layout, "guest", "full: feed layout override");
		INT_EQ(f[1].include_responses, 0, "full: feed include_responses override");
		OK(!config_feed_include_responses(c, &f[1]), "full: override wins");
		STR_EQ(config_feed_author(c, &f[1]), "jane", "full: feed author wins");
		STR_EQ(f[2].url, "file:///srv/feeds/local.xml", "full: file URL");
		OK(f[2].author == NULL, "full: feed without author");
		STR_EQ(config_feed_author(c, &f[2]), "editors", "full: site author falls back");
		INT_EQ(f[2].line, 23, "full: feed 3 line");
	}
	config_free(c);
}

static void test_defaults(void)
{
	struct config *c = good("minimal", "feeds:\n  - medium: someone\n");

	if (!c)
		return;
	STR_EQ(c->output, "site/_posts", "defaults: output beside the config");
	STR_EQ(c->layout, "post-external", "defaults: layout");
	STR_EQ(c->state, "site/.medium2jekyll-state.yml", "defaults: state beside the config");
	INT_EQ(c->concurrency, 8, "defaults: concurrency");
	INT_EQ(c->per_host, 2, "defaults: per_host");
	INT_EQ(c->timeout, 60, "defaults: timeout");
	INT_EQ(c->connect_timeout, 10, "defaults: connect_timeout");
	INT_EQ(c->max_size, 20 << 20, "defaults: max_size");
	OK(c->user_agent == NULL, "defaults: user_agent NULL");
	OK(c->author == NULL, "defaults: author NULL");
	OK(!c->include_responses, "defaults: include_responses false");
	OK(c->update, "defaults: update true");
	INT_EQ(c->failures_before_report, 1, "defaults: failures_before_report");
	INT_EQ(c->nfeeds, 1, "defaults: one feed");
	STR_EQ(c->feeds[0].url, "https://medium.com/feed/@someone", "medium: name -> URL");
	config_free(c);

	{
		struct config *d = NULL;
		struct m2j_err err = { 0, "" };
		const char *t = "feeds: [{url: 'http://a.example/f'}]\n";

		INT_EQ(config_parse(t, strlen(t), "m.yml", &d, &err), 0, "state: no folder (%s)", err.msg);
		if (d)
			STR_EQ(d->state, ".medium2jekyll-state.yml", "state: config in cwd -> state in cwd");
		config_free(d);
		t = "state: var/st.yml\nfeeds: [{url: 'http://a.example/f'}]\n";
		d = NULL;
		INT_EQ(config_parse(t, strlen(t), "/etc/m2j/m.yml", &d, &err), 0, "state: relative");
		if (d)
			STR_EQ(d->state, "/etc/m2j/var/st.yml", "state: relative to the config folder");
		config_free(d);
	}
	c = good("sizes and null values",
	         "max_size: 20 MiB\nuser_agent: ~\nauthor:\nfeeds:\n- url: https://x.example/f\n"
	         "  author: ~\n");
	if (c) {
		INT_EQ(c->max_size, 20 << 20, "max_size: '20 MiB'");
		OK(c->user_agent == NULL && c->author == NULL && c->feeds[0].author == NULL,
		   "null user_agent/author are unset");
	}
	config_free(c);
	c = good("size 1048576B", "max_size: 1048576\nupdate: TRUE\nfeeds:\n- url: https://x.example/f\n");
	if (c) {
		INT_EQ(c->max_size, 1048576, "max_size: plain integer");
		OK(c->update, "bool: TRUE");
	}
	config_free(c);
	c = good("1G", "max_size: 1G\nfeeds:\n- url: https://x.example/f\n");
	if (c)
		INT_EQ(c->max_size, 1 << 30, "max_size: 1G");
	config_free(c);
}

static void test_example(void)
{
	struct config *c = NULL;
	struct m2j_err err = { 0, "" };
	int rc = config_load(fixture("medium2jekyll.example.yml"), &c, &err);

	INT_EQ(rc, 0, "example: medium2jekyll.example.yml loads (%s)", err.msg);
	if (!rc) {
		INT_EQ(c->nfeeds, 4, "example: four feeds");
		STR_EQ(c->feeds[2].url, "https://medium.com/feed/@someone", "example: quoted @name");
		OK(c->user_agent != NULL, "example: user_agent set");
	}
	config_free(c);
}

static void test_fixture_errors(void)
{
	struct config *c = NULL;
	struct m2j_err err = { 0, "" };
	char want[2100];
	int rc;

	rc = config_load(fixture("fixtures/config/unknown_key.yml"), &c, &err);
	INT_EQ(rc, M2J_EUSAGE, "fixture: unknown key rejected");
	snprintf(want, sizeof want, "%s:4:5: unknown key \"autor\" in a feed entry (known: url, "
	         "medium, author, output, layout, include_responses, tags, canonical, clean, fields, field, member_only, images, images_url, image_budget)",
	         fixture("fixtures/config/unknown_key.yml"));
	STR_EQ(err.msg, want, "fixture: unknown key message");
	rc = config_load(fixture("fixtures/config/syntax_error.yml"), &c, &err);
	INT_EQ(rc, M2J_EUSAGE, "fixture: syntax error rejected");
	snprintf(want, sizeof want, "%s:5:1: YAML error: found unexpected end of stream "
	         "(while scanning a quoted scalar at line 4)",
	         fixture("fixtures/config/syntax_error.yml"));
	STR_EQ(err.msg, want, "fixture: syntax error message");
	rc = config_load(fixture("fixtures/config/no-such-file.yml"), &c, &err);
	INT_EQ(rc, M2J_EIO, "fixture: missing file is EIO");
	snprintf(want, sizeof want, "%s: No such file or directory",
	         fixture("fixtures/config/no-such-file.yml"));
	STR_EQ(err.msg, want, "fixture: missing file message");
	OK(c == NULL, "fixture: nothing returned on errors");
}

static void test_errors(void)
{
	bad("empty file", "", "m.yml:1:1: empty config: expected settings and a feeds: list");
	bad("comments only", "# nothing\n",
	    "m.yml:1:1: empty config: expected settings and a feeds: list");
	bad("syntax error", "output: _posts\n  layout: x\nfeeds: []\n",
	    "m.yml:2:9: YAML error: mapping values are not allowed in this context");
	bad("bad indentation", "feeds:\n  - url: https://a.example/f\n - url: x\n",
	    "m.yml:3:2: YAML error: did not find expected key "
	    "(while parsing a block mapping at line 1)");
	bad("undefined alias", "output: *nope\nfeeds: []\n",
	    "m.yml:1:9: YAML error: found undefined alias");
	bad("invalid UTF-8", "output: \"a\xff\"\nfeeds: []\n",
	    "m.yml:1:11: YAML error: invalid leading UTF-8 octet");
	bad("top-level list", "- url: x\n",
	    "m.yml:1:1: expected a mapping of settings (key: value) with a feeds: list, got a list");
	bad("top-level scalar", "hello\n",
	    "m.yml:1:1: expected a mapping of settings (key: value) with a feeds: list, got a value");
	bad("unknown key", "outptu: _posts\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:1: unknown key \"outptu\"");
	bad("keys are case-sensitive", "Output: _posts\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:1: unknown key \"Output\"");
	bad("unknown feed key", "feeds:\n  - url: https://a.example/f\n    titel: x\n",
	    "m.yml:3:5: unknown key \"titel\" in a feed entry (known: url, medium, author, "
	    "output, layout, include_responses, tags, canonical, clean, fields, field, member_only, "
	    "images, images_url, image_budget)");
	bad("image_budget zero", "image_budget: 0\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:15: image_budget: 0 is out of range (1..86400)");
	bad("image_budget text", "feeds:\n- url: https://a.example/f\n  image_budget: soon\n",
	    "m.yml:3:17: image_budget: expected an integer, got \"soon\"");
	{
		struct config *c = good("image_budget", "image_budget: 30\nfeeds:\n"
		                        "- url: https://a.example/f\n- url: https://b.example/f\n"
		                        "  image_budget: 5\n");

		if (c) {
			INT_EQ(config_feed_image_budget(c, &c->feeds[0]), 30, "image_budget: site-wide");
			INT_EQ(config_feed_image_budget(c, &c->feeds[1]), 5, "image_budget: per feed");
			config_free(c);
		}
		c = good("no image_budget", "feeds:\n- url: https://a.example/f\n");
		if (c) {
			INT_EQ(config_feed_image_budget(c, &c->feeds[0]), 0, "image_budget: unset is 0");
			config_free(c);
		}
	}
	bad("duplicate key", "output: a\nlayout: b\noutput: c\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:3:1: duplicate key \"output\" (first at line 1)");
	bad("duplicate feed key", "feeds:\n- url: https://a.example/f\n  url: https://b.example/f\n",
	    "m.yml:3:3: duplicate key \"url\" (first at line 2)");
	bad("no feeds", "output: _posts\n", "m.yml:1:1: no feeds: list");
	bad("feeds null", "feeds:\n", "m.yml:1:7: feeds: expected a list of feeds, got nothing");
	bad("feeds scalar", "feeds: https://a.example/f\n",
	    "m.yml:1:8: feeds: expected a list of feeds, got a value");
	bad("feeds mapping", "feeds:\n  url: https://a.example/f\n",
	    "m.yml:2:3: feeds: expected a list of feeds, got a mapping");
	bad("feeds empty", "feeds: []\n", "m.yml:1:8: feeds: the list is empty");
	bad("feed is a string", "feeds:\n  - https://a.example/f\n",
	    "m.yml:2:5: feeds: each entry must be a mapping with url: or medium:, got a plain value");
	bad("missing url", "feeds:\n  - author: jane\n",
	    "m.yml:2:5: feed entry has neither url: nor medium:");
	bad("url and medium", "feeds:\n  - url: https://a.example/f\n    medium: jane\n",
	    "m.yml:2:5: feed entry has both url: and medium: (give one)");
	bad("url scheme", "feeds:\n  - url: ftp://a.example/f\n",
	    "m.yml:2:10: url: not an http, https or file URL: \"ftp://a.example/f\"");
	bad("url without host", "feeds:\n  - url: https:///f\n",
	    "m.yml:2:10: url: not an http, https or file URL: \"https:///f\"");
	bad("url with a space", "feeds:\n  - url: https://a.example/a b\n",
	    "m.yml:2:10: url: not an http, https or file URL: \"https://a.example/a b\"");
	bad("url empty", "feeds:\n  - url: ''\n", "m.yml:2:10: url: must not be empty");
	bad("url null", "feeds:\n  - url:\n    author: x\n", "m.yml:2:9: url: missing value");
	bad("url list", "feeds:\n  - url: [a, b]\n",
	    "m.yml:2:10: url: expected a string, got a list");
	bad("medium name", "feeds:\n  - medium: jane doe\n",
	    "m.yml:2:13: medium: not a Medium user name: \"jane doe\"");
	bad("medium bare @", "feeds:\n  - medium: '@'\n",
	    "m.yml:2:13: medium: not a Medium user name: \"@\"");
	bad("duplicate feed", "feeds:\n  - url: https://a.example/feed/\n"
	    "  - url: HTTPS://A.EXAMPLE/feed\n",
	    "m.yml:3:5: duplicate feed HTTPS://A.EXAMPLE/feed (first at line 2)");
	bad("duplicate medium feed", "feeds:\n  - medium: jane\n  - url: https://medium.com/feed/@jane\n",
	    "m.yml:3:5: duplicate feed https://medium.com/feed/@jane (first at line 2)");
	bad("duplicate medium forms", "feeds:\n  - medium: jane\n  - medium: '@jane'\n",
	    "m.yml:3:5: duplicate feed https://medium.com/feed/@jane (first at line 2)");
	bad("integer word", "concurrency: yes\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:14: concurrency: expected an integer, got \"yes\"");
	bad("integer abc", "per_host: abc\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:11: per_host: expected an integer, got \"abc\"");
	bad("integer float", "timeout: 1.5\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:10: timeout: expected an integer, got \"1.5\"");
	bad("integer list", "timeout: [1]\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:10: timeout: expected an integer, got a list");
	bad("integer null", "timeout:\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:9: timeout: missing value");
	bad("concurrency 0", "concurrency: 0\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:14: concurrency: 0 is out of range (1..256)");
	bad("concurrency 257", "concurrency: 257\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:14: concurrency: 257 is out of range (1..256)");
	bad("per_host 65", "per_host: 65\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:11: per_host: 65 is out of range (1..64)");
	bad("timeout negative", "timeout: -5\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:10: timeout: -5 is out of range (1..86400)");
	bad("connect_timeout huge", "connect_timeout: 99999999999999999999999\nfeeds:\n"
	    "- url: https://a.example/f\n",
	    "m.yml:1:18: connect_timeout: 99999999999999999999999 is out of range (1..86400)");
	bad("failures_before_report 0", "failures_before_report: 0\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:25: failures_before_report: 0 is out of range (1..2147483647)");
	bad("max_size word", "max_size: big\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:11: max_size: expected a size such as 20M, 512k or 1048576, got \"big\"");
	bad("max_size unit", "max_size: 20X\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:11: max_size: expected a size such as 20M, 512k or 1048576, got \"20X\"");
	bad("max_size too big", "max_size: 2G\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:11: max_size: 2G is out of range (1k..1G)");
	bad("max_size too small", "max_size: 100\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:11: max_size: 100 is out of range (1k..1G)");
	bad("max_size overflow", "max_size: 99999999999999999999G\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:11: max_size: 99999999999999999999G is out of range (1k..1G)");
	bad("bool word", "update: maybe\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:9: update: expected true or false, got \"maybe\"");
	bad("bool number", "include_responses: 1\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:20: include_responses: expected true or false, got \"1\"");
	bad("feed bool", "feeds:\n- url: https://a.example/f\n  include_responses: {a: b}\n",
	    "m.yml:3:22: include_responses: expected true or false, got a mapping");
	bad("output list", "output: [a]\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:9: output: expected a string, got a list");
	bad("output empty", "output: \"\"\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:9: output: must not be empty");
	bad("layout null", "layout: ~\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:9: layout: missing value");
	bad("NUL in a string", "layout: \"a\\0b\"\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:9: layout: contains a NUL byte");
	bad("key is a mapping", "{a: b}: c\nfeeds:\n- url: https://a.example/f\n",
	    "m.yml:1:1: a key must be a plain word, not a mapping");
	bad("two documents", "feeds:\n- url: https://a.example/f\n---\nfeeds:\n- url: https://b.example/f\n",
	    "m.yml:4:1: more than one YAML document");
	bad("error in the second document", "feeds:\n- url: https://a.example/f\n---\n[\n",
	    "m.yml:5:1: YAML error: did not find expected node content "
	    "(while parsing a flow node at line 5)");
}

int main(void)
{
	const char *r = getenv("M2J_ROOT");

	snprintf(root, sizeof root, "%s", r && *r ? r : ".");
	test_full();
	test_defaults();
	test_example();
	test_fixture_errors();
	test_errors();
	{
		struct config *pc = good("post options",
		                         "tags: true\nclean: yes\nfields: [image, medium_id]\n"
		                         "field:\n  category: writings\n  lang: en\n"
		                         "member_only: skip\nimages: assets/img\n"
		                         "feeds:\n  - url: https://a.example/f\n"
		                         "    tags: false\n    fields: description\n"
		                         "    field: {lang: fr}\n"
		                         "  - url: https://b.example/f\n");
		struct post_opts po;
		struct post_kv kv[8];
		const char *im, *iu;

		if (pc) {
			memset(&po, 0, sizeof po);
			config_feed_post(pc, &pc->feeds[0], &po, kv, 8, &im, &iu);
			OK(!po.tags && po.clean && po.fields == POST_F_DESCRIPTION &&
			   po.member_only == POST_MEMBER_SKIP, "post options: feed overrides site");
			INT_EQ(po.nextra, 2, "post options: site field keys + the feed's");
			if (po.nextra == 2) {
				STR_EQ(kv[0].key, "category", "post options: site key first");
				STR_EQ(kv[1].value, "fr", "post options: feed value wins for the same key");
			}
			memset(&po, 0, sizeof po);
			config_feed_post(pc, &pc->feeds[1], &po, kv, 8, &im, &iu);
			OK(po.tags && po.fields == (POST_F_IMAGE | POST_F_MEDIUM_ID) && im &&
			   strstr(im, "assets/img") && !iu, "post options: site values by default");
		}
		config_free(pc);
		bad("field with our own key", "field:\n  title: x\nfeeds:\n- url: https://a.example/f\n",
		    "m.yml:2:3: field: \"title\" is not a key we may add (letters, digits, _ and -; "
		    "not one of the keys we write)");
		bad("unknown field name", "fields: [image, colour]\nfeeds:\n- url: https://a.example/f\n",
		    "m.yml:1:17: fields: unknown field \"colour\" (known: image, description, medium_id, "
		    "updated)");
		bad("member_only value", "member_only: hide\nfeeds:\n- url: https://a.example/f\n",
		    "m.yml:1:14: member_only: expected stub or skip");
	}
	{
		struct config *c = good("author integer",
		                        "author: 42\nfeeds:\n  - medium: antlerboy\n    author: 100047\n");

		if (c) {
			STR_EQ(c->feeds[0].author, "100047", "author: integer kept as \"100047\"");
			STR_EQ(c->author, "42", "author: site integer kept");
		}
		config_free(c);
		c = good("url schemes and medium forms",
		         "feeds:\n  - url: http://a.example/f\n  - url: HTTPS://b.example\n"
		         "  - url: file://localhost/tmp/x.xml\n  - medium: '@A.b_c-d'\n");
		if (c && c->nfeeds == 4)
			STR_EQ(c->feeds[3].url, "https://medium.com/feed/@A.b_c-d", "medium: dots, dashes");
		config_free(c);
		c = good("flow style", "{feeds: [{url: 'https://a.example/f', author: x}]}\n");
		config_free(c);
		c = good("aliases", "author: &a jane\nfeeds:\n- url: https://a.example/f\n  author: *a\n");
		if (c)
			STR_EQ(c->feeds[0].author, "jane", "aliases: resolved");
		config_free(c);
	}
	return HARNESS_END();
}
