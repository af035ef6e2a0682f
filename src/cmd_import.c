/* cmd_import.c - the import command's options and help (see cmd_import.h). */
#include "cmd_import.h"
#include "cli.h"
#include "date.h"
#include "import.h"
#include "msg.h"
#include "postopt.h"
#include "summary.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: medium2jekyll import SOURCE... [options]\n"
	"\n"
	"SOURCE is an http(s):// or file:// URL, a local file, - for stdin, or\n"
	"@username for https://medium.com/feed/@username.\n"
	"\n"
	"Options:\n"
	"  -o, --output DIR         where posts go (default _posts, created if missing)\n"
	"      --drafts             write into the site's _drafts/ (Jekyll drafts,\n"
	"                           for review before publishing)\n"
	"      --force              rewrite posts still exactly as we wrote them\n"
	"                           (never one a person edited)\n"
	"      --since DATE         only items published on or after DATE\n"
	"                           (YYYY-MM-DD, or any date a feed may give)\n"
	"      --limit N            only the newest N items of each source\n"
	"      --wait               wait for another run writing into the folder\n"
	"      --timeout SECONDS    total time per download (default 60)\n"
	"      --connect-timeout SECONDS  time to connect (default 10)\n"
	"      --max-size BYTES     largest feed accepted, after decompression\n"
	"                           (default 20M; k, M, G suffixes)\n"
	"      --user-agent STRING  User-Agent header (default medium2jekyll/VERSION)\n"
	"      --include-responses  also import Medium responses (comments)\n"
	"  -n, --dry-run            say what would be written, write nothing\n"
	"      --json               print a machine-readable summary on stdout\n"
	"  -q, --quiet              print errors only\n"
	"  -v, --verbose            also say what was skipped and why\n"
	"  -h, --help               this help\n"
	"      --version            print the version\n"
	"\n";

static const char usage_tail[] =
	"\n"
	"On a terminal (or with -v) a summary line ends the run.\n"
	"\n"
	"Exit status: 0 every item written or already present; 1 some source or\n"
	"item failed (each named on stderr); 2 usage error.\n";

const char *const cmd_import_help[] = { usage, postopt_usage, usage_tail, NULL };

enum {
	O_OUTPUT = 1, O_TIMEOUT, O_CONNECT_TIMEOUT, O_MAX_SIZE, O_USER_AGENT,
	O_INCLUDE_RESPONSES, O_DRY_RUN, O_JSON, O_FORCE, O_SINCE, O_LIMIT,
	O_DRAFTS, O_WAIT
};

static const struct cli_opt opts_table[] = {
	CLI_COMMON_TABLE,
	{ "output", 'o', CLI_ARG, O_OUTPUT },
	{ "drafts", 0, CLI_NOARG, O_DRAFTS },
	{ "force", 0, CLI_NOARG, O_FORCE },
	{ "since", 0, CLI_ARG, O_SINCE },
	{ "limit", 0, CLI_ARG, O_LIMIT },
	{ "wait", 0, CLI_NOARG, O_WAIT },
	{ "timeout", 0, CLI_ARG, O_TIMEOUT },
	{ "connect-timeout", 0, CLI_ARG, O_CONNECT_TIMEOUT },
	{ "max-size", 0, CLI_ARG, O_MAX_SIZE },
	{ "user-agent", 0, CLI_ARG, O_USER_AGENT },
	{ "include-responses", 0, CLI_NOARG, O_INCLUDE_RESPONSES },
	{ "dry-run", 'n', CLI_NOARG, O_DRY_RUN },
	{ "json", 0, CLI_NOARG, O_JSON },
	POSTOPT_TABLE,
	{ NULL, 0, CLI_NOARG, 0 }
};

static int seconds(const char *arg, long *out)
{
	unsigned long long v;

	if (cli_number(arg, false, &v) || v == 0 || v > 86400)
		return -1;
	*out = (long)v;
	return 0;
}

/* Applies one option of import's own (not a post option).  0, or
 * M2J_EUSAGE with err filled. */
static int apply(struct import_opts *o, int id, const char *arg, struct m2j_err *err)
{
	unsigned long long v;

	switch (id) {
	case O_OUTPUT: o->output = arg; return 0;
	case O_DRAFTS: o->drafts = true; return 0;
	case O_FORCE: o->force = true; return 0;
	case O_JSON: o->json = true; msg_set_results(false); return 0;
	case O_USER_AGENT: o->user_agent = arg; return 0;
	case O_INCLUDE_RESPONSES: o->include_responses = true; return 0;
	case O_DRY_RUN: o->dry_run = true; return 0;
	case O_WAIT: o->wait_lock = true; return 0;
	case O_SINCE: {
		char d[64];

		/* a day alone is that day's start, UTC */
		snprintf(d, sizeof d, strlen(arg) == 10 ? "%.10sT00:00:00Z" : "%.63s", arg);
		if (date_parse(d, &o->since) != 0)
			return m2j_err_set(err, M2J_EUSAGE, "--since needs a date such as 2024-01-31");
		o->has_since = true;
		return 0;
	}
	case O_LIMIT:
		if (cli_number(arg, false, &v) || v == 0 || v > 1000000)
			return m2j_err_set(err, M2J_EUSAGE, "--limit needs a count (1 to 1000000)");
		o->limit = (size_t)v;
		return 0;
	case O_TIMEOUT:
		if (seconds(arg, &o->timeout))
			return m2j_err_set(err, M2J_EUSAGE, "--timeout needs seconds (1 to 86400)");
		return 0;
	case O_CONNECT_TIMEOUT:
		if (seconds(arg, &o->connect_timeout))
			return m2j_err_set(err, M2J_EUSAGE,
			                   "--connect-timeout needs seconds (1 to 86400)");
		return 0;
	case O_MAX_SIZE:
		if (cli_number(arg, true, &v) || v == 0 || v > ((size_t)1 << 30))
			return m2j_err_set(err, M2J_EUSAGE, "--max-size needs a size from 1 byte to 1G");
		o->max_size = (size_t)v;
		return 0;
	default:
		return m2j_err_set(err, M2J_EUSAGE, "unknown option");
	}
}

/* Parses argv into o, pop and sources.  Returns -1 to go on, else the
 * cli_status to return (help, version, usage error). */
static int parse(int argc, char **argv, struct import_opts *o, struct postopt *pop,
                 char **sources, size_t *nsrc, struct m2j_err *err)
{
	struct cli_state st;
	const char *arg;
	bool done;
	int id, r;

	cli_init(&st, argc - 1, argv + 1);
	while ((r = cli_next(&st, opts_table, &id, &arg, err)) > 0) {
		if (r == 2) {
			sources[(*nsrc)++] = (char *)(uintptr_t)arg;
			continue;
		}
		if (cli_common(id, cmd_import_help, &done)) {
			if (done)
				return CLI_OK;
			continue;
		}
		r = postopt_apply(pop, id, arg, err);
		if (r == 1)
			r = apply(o, id, arg, err);
		if (r)
			return CLI_USAGE;
	}
	if (r < 0)
		return CLI_USAGE;
	if (*nsrc == 0) {
		m2j_err_set(err, M2J_EUSAGE, "needs at least one SOURCE");
		return CLI_USAGE;
	}
	return -1;
}

int cmd_import(int argc, char **argv, struct m2j_err *err)
{
	struct import_opts o;
	struct postopt pop;
	struct import_stats stats;
	char **sources;
	size_t nsrc = 0;
	int status;

	m2j_err_clear(err);
	import_opts_default(&o);
	postopt_init(&pop, &o.post);
	sources = calloc((size_t)argc + 1, sizeof *sources);
	if (!sources) {
		m2j_err_set(err, M2J_ENOMEM, "out of memory");
		return CLI_FAILED;
	}
	status = parse(argc, argv, &o, &pop, sources, &nsrc, err);
	if (status < 0) {
		o.images_dir = pop.images_dir;
		o.images_url = pop.images_url;
		o.image_budget = pop.image_budget;
		memset(&stats, 0, sizeof stats);
		int rc = import_run(sources, nsrc, &o, &stats, err);

		if (rc)
			status = rc == M2J_ELOCKED ? CLI_LOCKED : CLI_FAILED;
		else
			status = stats.sources_failed || stats.failed || stats.sources_cut ? CLI_FAILED
			                                                                    : CLI_OK;
		if (stats.sources) /* else the output folder failed: err says so */
			summary_import("import", &stats, o.dry_run);
	}
	free(sources);
	postopt_release(&pop);
	return status;
}
