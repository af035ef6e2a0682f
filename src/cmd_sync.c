/* cmd_sync.c - the sync command's options and help (see cmd_sync.h). */
#include "cmd_sync.h"
#include "cli.h"
#include "msg.h"
#include "summary.h"
#include "sync.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"Usage: medium2jekyll sync [options]\n"
	"\n"
	"Fetches every feed of the config (conditional requests, many at once),\n"
	"writes new posts, rewrites posts whose item changed while nobody edited\n"
	"them, and remembers what it did in the state file.  Prints one line per\n"
	"post written or updated; on a terminal (or with -v) a summary line ends\n"
	"the run.  'medium2jekyll init' writes a config.\n"
	"\n"
	"Options:\n"
	"  -c, --config FILE   the config (default medium2jekyll.yml)\n"
	"      --check         validate the config, print ok and the feed count\n"
	"  -n, --dry-run       fetch and report; write neither posts nor state\n"
	"      --no-update     never rewrite an existing post\n"
	"      --force         rewrite posts even when edited by hand\n"
	"      --json          print a machine-readable summary on stdout\n"
	"      --wait          wait for another run writing the same folders\n"
	"  -q, --quiet         print errors only\n"
	"  -v, --verbose       also list every feed with its HTTP status and counts\n"
	"  -h, --help          this help\n"
	"      --version       print the version\n"
	"\n"
	"Exit status: 0 all feeds fine; 1 some feed failed (each named on stderr,\n"
	"the others still done); 2 usage or config error (nothing fetched);\n"
	"3 another sync is running.\n";

const char *const cmd_sync_help[] = { usage, NULL };

enum {
	O_CONFIG = 1, O_CHECK, O_DRY_RUN, O_NO_UPDATE, O_FORCE, O_JSON, O_WAIT
};

static const struct cli_opt opts_table[] = {
	CLI_COMMON_TABLE,
	{ "config", 'c', CLI_ARG, O_CONFIG },
	{ "check", 0, CLI_NOARG, O_CHECK },
	{ "dry-run", 'n', CLI_NOARG, O_DRY_RUN },
	{ "no-update", 0, CLI_NOARG, O_NO_UPDATE },
	{ "force", 0, CLI_NOARG, O_FORCE },
	{ "json", 0, CLI_NOARG, O_JSON },
	{ "wait", 0, CLI_NOARG, O_WAIT },
	{ NULL, 0, CLI_NOARG, 0 }
};

/* Parses argv into o.  Returns -1 to go on, else the cli_status to return
 * (help, version, usage error). */
static int parse(int argc, char **argv, struct sync_opts *o, struct m2j_err *err)
{
	struct cli_state st;
	const char *arg;
	bool done;
	int id, r;

	cli_init(&st, argc - 1, argv + 1);
	while ((r = cli_next(&st, opts_table, &id, &arg, err)) > 0) {
		if (r == 2) {
			m2j_err_set(err, M2J_EUSAGE, "no operand expected ('%.100s')", arg);
			return CLI_USAGE;
		}
		if (cli_common(id, cmd_sync_help, &done)) {
			if (done)
				return CLI_OK;
			continue;
		}
		switch (id) {
		case O_CONFIG: o->config_path = arg; break;
		case O_CHECK: o->check = true; break;
		case O_DRY_RUN: o->dry_run = true; break;
		case O_NO_UPDATE: o->no_update = true; break;
		case O_FORCE: o->force = true; break;
		case O_WAIT: o->wait_lock = true; break;
		case O_JSON: o->json = true; msg_set_results(false); break;
		default: break;
		}
	}
	return r < 0 ? CLI_USAGE : -1;
}

int cmd_sync(int argc, char **argv, struct m2j_err *err)
{
	struct sync_opts o;
	struct sync_stats stats;
	int rc;

	m2j_err_clear(err);
	memset(&o, 0, sizeof o);
	o.config_path = "medium2jekyll.yml";
	if ((rc = parse(argc, argv, &o, err)) >= 0)
		return rc;
	if (access(o.config_path, F_OK) != 0 && errno == ENOENT) {
		m2j_err_set(err, M2J_EUSAGE,
		            "no config at %.200s: 'medium2jekyll init' writes one (or give -c FILE)",
		            o.config_path);
		return CLI_USAGE;
	}
	rc = sync_run(&o, &stats, err);
	if (rc == M2J_EUSAGE || rc == M2J_EPARSE)
		return CLI_USAGE;
	if (rc == M2J_ELOCKED)
		return CLI_LOCKED;
	if (rc)
		return CLI_FAILED;
	if (o.check) {
		msg_out("ok: %s, %zu feed%s", o.config_path, stats.feeds, stats.feeds == 1 ? "" : "s");
		return CLI_OK;
	}
	summary_sync(&stats, o.dry_run);
	return stats.reported_failed || stats.item_errors ? CLI_FAILED : CLI_OK;
}
