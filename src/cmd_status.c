/* cmd_status.c - the status command (see cmd_status.h). */
#include "cmd_status.h"
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "json.h"
#include "msg.h"
#include "state.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char usage[] =
	"Usage: medium2jekyll status [options]\n"
	"\n"
	"Prints, from the state file sync keeps, one line per feed of the config:\n"
	"ok, failing, FAILING (failed failures_before_report runs in a row: sync\n"
	"reports it) or never fetched; the last success, the failures in a row\n"
	"and the last error, the validators the next request sends (etag,\n"
	"last-modified), and the posts the state records in the feed's output\n"
	"folder.  Never fetches anything.\n"
	"\n"
	"Options:\n"
	"  -c, --config FILE   the config (default medium2jekyll.yml)\n"
	"      --json          the same as JSON on stdout\n"
	"  -h, --help          this help\n"
	"      --version       print the version\n"
	"\n"
	"Exit status: 0 no feed FAILING; 1 some feed FAILING (a daily job can\n"
	"alert on it), or the state cannot be read; 2 usage or config error.\n";

enum { O_HELP = 1, O_VERSION, O_CONFIG, O_JSON };

static const struct cli_opt opts_table[] = {
	{ "help", 'h', CLI_NOARG, O_HELP },
	{ "version", 0, CLI_NOARG, O_VERSION },
	{ "config", 'c', CLI_ARG, O_CONFIG },
	{ "json", 0, CLI_NOARG, O_JSON },
	{ NULL, 0, CLI_NOARG, 0 }
};

/* s for a terminal: invalid UTF-8 repaired, C0 and C1 controls and DEL
 * written as \xNN (a C1 control as its code point), so no feed can move
 * the cursor or forge a line. */
static void add_safe(struct buf *b, const char *s)
{
	struct buf r = BUF_INIT(0);
	const unsigned char *p;

	if (!s)
		s = "";
	if (utf8_repair(&r, s, strlen(s)) != 0) {
		b->failed = true;
		return;
	}
	for (p = (const unsigned char *)r.data; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			buf_addf(b, "\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			buf_addf(b, "\\x%02x", *++p);
		else
			buf_addch(b, (char)*p);
	}
	buf_release(&r);
}

/* A JSON string of s, invalid UTF-8 repaired (json_str escapes controls). */
static void add_json(struct buf *b, const char *s)
{
	char *r;

	if (!s) {
		buf_addstr(b, "null");
		return;
	}
	if (!(r = utf8_strdup_repair(s, strlen(s)))) {
		b->failed = true;
		return;
	}
	json_str(b, r);
	free(r);
}

/* The posts the state records for feed f.  The state does not name a
 * post's feed yet, so this counts the posts of f's output folder (shared by
 * every feed writing there). */
/* The posts the state records as written by feed url (states written
 * before owners were kept: by the output folder as recorded). */
static size_t count_posts(const struct state *s, const char *url, const char *output)
{
	size_t i, n = 0;

	for (i = 0; i < s->nposts; i++) {
		const struct state_post *p = &s->posts[i];

		if (p->feed ? strcmp(p->feed, url) == 0
		            : p->output && strcmp(p->output, output) == 0)
			n++;
	}
	return n;
}

struct row {
	const char *url, *output, *word;
	const struct state_feed *sf;
	size_t posts;
	bool failing;
};

static void line(struct buf *b, const struct row *r)
{
	const struct state_feed *sf = r->sf;

	add_safe(b, r->url);
	buf_addf(b, ": %s", r->word);
	if (!sf) {
		buf_addch(b, '\n');
		return;
	}
	buf_addf(b, "; last success %s; %d failure%s in a row", sf->last_success ? sf->last_success
	         : "never", sf->failures, sf->failures == 1 ? "" : "s");
	if (sf->last_error) {
		buf_addstr(b, "; last error: ");
		add_safe(b, sf->last_error);
	}
	buf_addf(b, "; validators %s%s%s; %zu post%s in ",
	         sf->etag ? "etag" : "", sf->etag && sf->last_modified ? ", " : "",
	         sf->last_modified ? "last-modified" : sf->etag ? "" : "none", r->posts,
	         r->posts == 1 ? "" : "s");
	add_safe(b, r->output);
	buf_addch(b, '\n');
}

static void json_row(struct buf *b, const struct row *r, bool first)
{
	const struct state_feed *sf = r->sf;

	buf_addstr(b, first ? "\n  {\"url\": " : ",\n  {\"url\": ");
	add_json(b, r->url);
	buf_addf(b, ", \"state\": \"%s\", \"failing\": %s, \"last_success\": ", r->word,
	         r->failing ? "true" : "false");
	add_json(b, sf ? sf->last_success : NULL);
	buf_addf(b, ", \"failures\": %d, \"last_error\": ", sf ? sf->failures : 0);
	add_json(b, sf ? sf->last_error : NULL);
	buf_addf(b, ", \"etag\": %s, \"last_modified\": %s, \"posts\": %zu, \"output\": ",
	         sf && sf->etag ? "true" : "false", sf && sf->last_modified ? "true" : "false",
	         r->posts);
	add_json(b, r->output);
	buf_addch(b, '}');
}

static int report(const struct config *c, struct state *s, bool json, size_t *nfailing,
                  struct m2j_err *err)
{
	struct buf b = BUF_INIT(0);
	size_t i, nok = 0, nnever = 0, nfail = 0;

	*nfailing = 0;
	if (json) {
		buf_addstr(&b, "{\"config\": ");
		add_json(&b, c->path);
		buf_addstr(&b, ", \"feeds\": [");
	}
	for (i = 0; i < c->nfeeds; i++) {
		const struct config_feed *f = &c->feeds[i];
		struct row r;

		r.url = f->url;
		r.output = config_feed_output(c, f);
		r.sf = state_feed_get(s, f->url, false);
		r.posts = count_posts(s, f->url, r.output);
		r.failing = r.sf && r.sf->failures >= c->failures_before_report;
		if (!r.sf || (!r.sf->last_success && r.sf->failures == 0)) {
			r.word = "never fetched";
			nnever++;
		} else if (r.failing) {
			r.word = "FAILING";
			(*nfailing)++;
		} else if (r.sf->failures > 0) {
			r.word = "failing";
			nfail++;
		} else {
			r.word = "ok";
			nok++;
		}
		if (json)
			json_row(&b, &r, i == 0);
		else
			line(&b, &r);
	}
	if (json)
		buf_addf(&b, "\n], \"ok\": %zu, \"failing\": %zu, \"FAILING\": %zu, \"never\": %zu}\n",
		         nok, nfail, *nfailing, nnever);
	else
		buf_addf(&b, "%zu feed%s: %zu ok, %zu failing, %zu FAILING (%d+ failures in a row), "
		         "%zu never fetched\n", c->nfeeds, c->nfeeds == 1 ? "" : "s", nok, nfail,
		         *nfailing, c->failures_before_report, nnever);
	if (b.failed) {
		buf_release(&b);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	msg_print(b.data, b.len);
	buf_release(&b);
	return 0;
}

int cmd_status(int argc, char **argv, struct m2j_err *err)
{
	struct cli_state st;
	struct config *c = NULL;
	struct state *s = NULL;
	const char *path = "medium2jekyll.yml", *arg;
	const char *version = "medium2jekyll " M2J_VERSION "\n";
	bool json = false;
	size_t failing = 0;
	int id, r, rc;

	cli_init(&st, argc - 1, argv + 1);
	while ((r = cli_next(&st, opts_table, &id, &arg, err)) > 0) {
		if (r == 2) {
			m2j_err_set(err, M2J_EUSAGE, "status takes no operand ('%.60s')", arg);
			return EXIT_USAGE;
		}
		switch (id) {
		case O_HELP: msg_print(usage, strlen(usage)); return EXIT_OK;
		case O_VERSION: msg_print(version, strlen(version)); return EXIT_OK;
		case O_CONFIG: path = arg; break;
		case O_JSON: json = true; break;
		default: break;
		}
	}
	if (r < 0)
		return EXIT_USAGE;
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		m2j_err_set(err, M2J_EUSAGE, "%s: no such file (medium2jekyll init writes one; "
		            "or name it: status -c FILE)", path);
		return EXIT_USAGE;
	}
	if (config_load(path, &c, err) != 0)
		return EXIT_USAGE;
	if ((rc = state_load(c->state, &s, err)) == 0)
		rc = report(c, s, json, &failing, err);
	state_free(s);
	config_free(c);
	return rc || failing ? EXIT_FAILED : EXIT_OK;
}
