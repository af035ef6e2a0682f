/* main.c - medium2jekyll: command line -> command -> exit status.
 * The only file that chooses an exit status. */
#include "caps.h"
#include "cli.h"
#include "cmd_archive.h"
#include "cmd_convert.h"
#include "cmd_init.h"
#include "cmd_status.h"
#include "date.h"
#include "fetch.h"
#include "import.h"
#include "msg.h"
#include "postopt.h"
#include "sync.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_LOCKED = 3 };

static const char usage_main[] =
	"Usage: medium2jekyll COMMAND [options]\n"
	"\n"
	"Import Medium (and any RSS 2.0, RSS 1.0 or Atom) feeds into a Jekyll site.\n"
	"\n"
	"Commands:\n"
	"  import SOURCE...   write the posts of each feed into _posts/\n"
	"  import-archive ARCHIVE  write every post of Medium's export .zip or folder\n"
	"  sync [-c FILE]     bring a site up to date with every feed of its config\n"
	"  convert [FILE]     convert one HTML document to the Markdown import writes\n"
	"  init [DIR]         prepare a Jekyll site for sync (--from FILE: migrate)\n"
	"  status [-c FILE]   the health of every feed of the config, from the state\n"
	"\n"
	"Run 'medium2jekyll COMMAND --help' for a command's options.\n"
	"  -h, --help         this help\n"
	"      --version      print the version\n"
	"\n"
	"Exit status: 0 all fine, 1 some source or item failed, 2 usage error,\n"
	"3 another sync is running.\n";

static const char usage_import[] =
	"Usage: medium2jekyll import SOURCE... [options]\n"
	"\n"
	"SOURCE is an http(s):// or file:// URL, a local file, - for stdin, or\n"
	"@username for https://medium.com/feed/@username.\n"
	"\n"
	"Options:\n"
	"  -o, --output DIR         where posts go (default _posts, created if missing)\n"
	"      --timeout SECONDS    total time per download (default 60)\n"
	"      --connect-timeout SECONDS  time to connect (default 10)\n"
	"      --max-size BYTES     largest feed accepted, after decompression\n"
	"                           (default 20M; k, M, G suffixes)\n"
	"      --user-agent STRING  User-Agent header (default medium2jekyll/VERSION)\n"
	"      --include-responses  also import Medium responses (comments)\n"
	"  -n, --dry-run            say what would be written, write nothing\n"
	"      --json               print a machine-readable summary on stdout\n"
	"      --force              rewrite posts still exactly as we wrote them under\n"
	"                           other options (never one a person edited)\n"
	"      --since DATE         skip items dated before DATE (YYYY-MM-DD)\n"
	"      --limit N            only the newest N items of each source\n"
	"      --drafts             write into the site's _drafts/ (beside the output)\n"
	"      --wait               wait for another run writing into the folder\n"
	"  -q, --quiet              print errors only\n"
	"  -v, --verbose            also say what was skipped and why\n"
	"  -h, --help               this help\n"
	"      --version            print the version\n"
	"\n";

static const char usage_import_tail[] =
	"\n"
	"Exit status: 0 every item written or already present; 1 some source or\n"
	"item failed (each named on stderr); 2 usage error.\n";

static const char usage_sync[] =
	"Usage: medium2jekyll sync [options]\n"
	"\n"
	"Fetches every feed of the config (conditional requests, many at once),\n"
	"writes new posts, rewrites posts whose item changed while nobody edited\n"
	"them, and remembers what it did in the state file.  Prints one line per\n"
	"post written or updated, nothing when nothing changed.\n"
	"\n"
	"Options:\n"
	"  -c, --config FILE   the config (default medium2jekyll.yml)\n"
	"      --check         validate the config and exit\n"
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

enum {
	O_HELP = 1, O_VERSION, O_OUTPUT, O_TIMEOUT, O_CONNECT_TIMEOUT,
	O_MAX_SIZE, O_USER_AGENT, O_INCLUDE_RESPONSES, O_DRY_RUN, O_QUIET, O_VERBOSE,
	O_CONFIG, O_CHECK, O_FORCE, O_NO_UPDATE, O_JSON, O_WAIT, O_SINCE, O_LIMIT, O_DRAFTS
};

static const struct cli_opt sync_opts_table[] = {
	{ "help", 'h', CLI_NOARG, O_HELP },
	{ "version", 0, CLI_NOARG, O_VERSION },
	{ "config", 'c', CLI_ARG, O_CONFIG },
	{ "check", 0, CLI_NOARG, O_CHECK },
	{ "dry-run", 'n', CLI_NOARG, O_DRY_RUN },
	{ "no-update", 0, CLI_NOARG, O_NO_UPDATE },
	{ "force", 0, CLI_NOARG, O_FORCE },
	{ "json", 0, CLI_NOARG, O_JSON },
	{ "wait", 0, CLI_NOARG, O_WAIT },
	{ "quiet", 'q', CLI_NOARG, O_QUIET },
	{ "verbose", 'v', CLI_NOARG, O_VERBOSE },
	{ NULL, 0, CLI_NOARG, 0 }
};

static const struct cli_opt import_opts_table[] = {
	{ "help", 'h', CLI_NOARG, O_HELP },
	{ "version", 0, CLI_NOARG, O_VERSION },
	{ "output", 'o', CLI_ARG, O_OUTPUT },
	{ "timeout", 0, CLI_ARG, O_TIMEOUT },
	{ "connect-timeout", 0, CLI_ARG, O_CONNECT_TIMEOUT },
	{ "max-size", 0, CLI_ARG, O_MAX_SIZE },
	{ "user-agent", 0, CLI_ARG, O_USER_AGENT },
	{ "include-responses", 0, CLI_NOARG, O_INCLUDE_RESPONSES },
	{ "dry-run", 'n', CLI_NOARG, O_DRY_RUN },
	{ "quiet", 'q', CLI_NOARG, O_QUIET },
	{ "verbose", 'v', CLI_NOARG, O_VERBOSE },
	{ "json", 0, CLI_NOARG, O_JSON },
	{ "force", 0, CLI_NOARG, O_FORCE },
	{ "since", 0, CLI_ARG, O_SINCE },
	{ "limit", 0, CLI_ARG, O_LIMIT },
	{ "drafts", 0, CLI_NOARG, O_DRAFTS },
	{ "wait", 0, CLI_NOARG, O_WAIT },
	POSTOPT_TABLE,
	{ NULL, 0, CLI_NOARG, 0 }
};

static int usage_error(const char *cmd, const char *msg)
{
	msg_error("%s", msg);
	fprintf(stderr, "Try 'medium2jekyll %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

static int print_text(const char *s)
{
	msg_print(s, strlen(s));
	return EXIT_OK;
}

static int print_version(void)
{
	return print_text("medium2jekyll " M2J_VERSION "\n");
}

static int seconds(const char *arg, long *out)
{
	unsigned long long v;

	if (cli_number(arg, false, &v) || v == 0 || v > 86400)
		return -1;
	*out = (long)v;
	return 0;
}

static int cmd_import(int argc, char **argv)
{
	struct import_opts o;
	struct postopt pop;
	struct import_stats stats;
	struct cli_state st;
	struct m2j_err err = { 0, "" };
	char **sources;
	size_t nsrc = 0;
	const char *arg;
	int id, r, status = EXIT_OK;
	unsigned long long v;

	import_opts_default(&o);
	postopt_init(&pop, &o.post);
	sources = calloc((size_t)argc + 1, sizeof *sources);
	if (!sources) {
		msg_error("out of memory");
		return EXIT_FAILED;
	}
	cli_init(&st, argc, argv);
	while ((r = cli_next(&st, import_opts_table, &id, &arg, &err)) > 0) {
		if (r == 2) {
			sources[nsrc++] = (char *)(uintptr_t)arg;
			continue;
		}
		switch (id) {
		case O_HELP:
			free(sources);
			postopt_release(&pop);
			print_text(usage_import);
			print_text(postopt_usage);
			return print_text(usage_import_tail);
		case O_VERSION: free(sources); postopt_release(&pop); return print_version();
		case O_OUTPUT: o.output = arg; break;
		case O_JSON: o.json = true; msg_set_results(false); break;
		case O_USER_AGENT: o.user_agent = arg; break;
		case O_INCLUDE_RESPONSES: o.include_responses = true; break;
		case O_DRY_RUN: o.dry_run = true; break;
		case O_QUIET: msg_set_level(MSG_QUIET); break;
		case O_VERBOSE: msg_set_level(MSG_VERBOSE); break;
		case O_FORCE: o.force = true; break;
		case O_DRAFTS: o.drafts = true; break;
		case O_WAIT: o.wait_lock = true; break;
		case O_SINCE: {
			char d[40];

			/* a day alone is that day's start, UTC */
			snprintf(d, sizeof d, strlen(arg) == 10 ? "%sT00:00:00Z" : "%s", arg);
			if (date_parse(d, &o.since) != 0)
				r = -m2j_err_set(&err, M2J_EUSAGE, "--since needs a date (YYYY-MM-DD)");
			o.has_since = true;
			break;
		}
		case O_LIMIT:
			if (cli_number(arg, false, &v) || v == 0 || v > 1000000)
				r = -m2j_err_set(&err, M2J_EUSAGE, "--limit needs a count (1 to 1000000)");
			else
				o.limit = (size_t)v;
			break;
		case O_TIMEOUT:
			if (seconds(arg, &o.timeout))
				r = -m2j_err_set(&err, M2J_EUSAGE, "--timeout needs seconds (1 to 86400)");
			break;
		case O_CONNECT_TIMEOUT:
			if (seconds(arg, &o.connect_timeout))
				r = -m2j_err_set(&err, M2J_EUSAGE, "--connect-timeout needs seconds (1 to 86400)");
			break;
		case O_MAX_SIZE:
			if (cli_number(arg, true, &v) || v == 0 || v > ((size_t)1 << 30))
				r = -m2j_err_set(&err, M2J_EUSAGE, "--max-size needs a size from 1 byte to 1G");
			else
				o.max_size = (size_t)v;
			break;
		default:
			if (postopt_apply(&pop, id, arg, &err) < 0 || err.code)
				r = -M2J_EUSAGE;
			break;
		}
		if (r < 0)
			break;
	}
	if (r < 0) {
		free(sources);
		postopt_release(&pop);
		return usage_error("import", err.msg);
	}
	if (nsrc == 0) {
		free(sources);
		postopt_release(&pop);
		return usage_error("import", "import needs at least one SOURCE");
	}
	o.images_dir = pop.images_dir;
	o.images_url = pop.images_url;
	o.image_budget = pop.image_budget;
	if ((r = import_run(sources, nsrc, &o, &stats, &err)) != 0) {
		msg_error("%s", err.msg);
		status = r == M2J_ELOCKED ? EXIT_LOCKED : EXIT_FAILED;
	} else if (stats.sources_failed || stats.failed || stats.sources_cut) {
		status = EXIT_FAILED;
	}
	msg_note("%zu source(s), %zu failed; %zu post(s) %s, %zu already present, %zu response(s) "
	         "skipped, %zu item(s) failed",
	         stats.sources, stats.sources_failed, stats.written,
	         o.dry_run ? "would be written" : "written", stats.present, stats.responses,
	         stats.failed);
	free(sources);
	postopt_release(&pop);
	return status;
}

static int cmd_sync(int argc, char **argv)
{
	struct sync_opts o;
	struct sync_stats stats;
	struct cli_state st;
	struct m2j_err err = { 0, "" };
	const char *arg;
	int id, r, rc;

	memset(&o, 0, sizeof o);
	o.config_path = "medium2jekyll.yml";
	cli_init(&st, argc, argv);
	while ((r = cli_next(&st, sync_opts_table, &id, &arg, &err)) > 0) {
		if (r == 2) {
			r = -m2j_err_set(&err, M2J_EUSAGE, "sync takes no operand ('%s')", arg);
			break;
		}
		switch (id) {
		case O_HELP: return print_text(usage_sync);
		case O_VERSION: return print_version();
		case O_CONFIG: o.config_path = arg; break;
		case O_CHECK: o.check = true; break;
		case O_DRY_RUN: o.dry_run = true; break;
		case O_NO_UPDATE: o.no_update = true; break;
		case O_FORCE: o.force = true; break;
		case O_WAIT: o.wait_lock = true; break;
		case O_JSON: o.json = true; msg_set_results(false); break;
		case O_QUIET: msg_set_level(MSG_QUIET); break;
		case O_VERBOSE: msg_set_level(MSG_VERBOSE); break;
		default: break;
		}
	}
	if (r < 0)
		return usage_error("sync", err.msg);
	rc = sync_run(&o, &stats, &err);
	if (rc == M2J_EUSAGE || rc == M2J_EPARSE) {
		msg_error("%s", err.msg);
		return EXIT_USAGE;
	}
	if (rc == M2J_ELOCKED) {
		msg_error("%s", err.msg);
		return EXIT_LOCKED;
	}
	if (rc) {
		msg_error("%s", err.msg);
		return EXIT_FAILED;
	}
	if (o.check) {
		msg_note("%s: configuration is valid", o.config_path);
		return EXIT_OK;
	}
	return stats.reported_failed || stats.item_errors ? EXIT_FAILED : EXIT_OK;
}

/* libxml2 2.9's recovery from a failed allocation is not reliable: some
 * failures crash it later, others silently drop text and report a
 * well-formed document (found by tests/e2e/fault_injection.sh).  So a
 * failed libxml2 allocation ends the run here, cleanly: every post already
 * written is complete (writes are atomic) and none is being written while
 * libxml2 runs. */
static void xml_oom(void)
{
	msg_error("out of memory");
	_exit(EXIT_FAILED);
}

static void *xml_malloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		xml_oom();
	return p;
}

static void *xml_realloc(void *old, size_t n)
{
	void *p = realloc(old, n);

	if (!p && n)
		xml_oom();
	return p;
}

static char *xml_strdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		xml_oom();
	return p;
}

int main(int argc, char **argv)
{
	struct m2j_err err = { 0, "" };
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int status;

	if (!cmd)
		return usage_error(NULL, "no command given");
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0)
		return print_text(usage_main);
	if (strcmp(cmd, "--version") == 0)
		return print_version();
	xmlMemSetup(free, xml_malloc, xml_realloc, xml_strdup);
	LIBXML_TEST_VERSION
	if (fetch_global_init(&err) != 0) {
		msg_error("%s", err.msg);
		return EXIT_FAILED;
	}
	if (strcmp(cmd, "import") == 0) {
		status = cmd_import(argc - 2, argv + 2);
	} else if (strcmp(cmd, "sync") == 0) {
		status = cmd_sync(argc - 2, argv + 2);
	} else if (strcmp(cmd, "import-archive") == 0) {
		if ((status = cmd_archive(argc - 1, argv + 1, &err)) != EXIT_OK && err.msg[0])
			msg_error("%s", err.msg);
	} else if (strcmp(cmd, "init") == 0) {
		if ((status = cmd_init(argc - 1, argv + 1, &err)) != EXIT_OK && err.msg[0])
			msg_error("%s", err.msg);
	} else if (strcmp(cmd, "status") == 0) {
		if ((status = cmd_status(argc - 1, argv + 1, &err)) != EXIT_OK && err.msg[0])
			msg_error("%s", err.msg);
	} else if (strcmp(cmd, "convert") == 0) {
		status = cmd_convert(argc - 1, argv + 1, NULL, &err);
		if (status != EXIT_OK && err.msg[0])
			msg_error("%s", err.msg);
	} else {
		char m[128];

		snprintf(m, sizeof m, "unknown command '%.60s'", cmd);
		status = usage_error(NULL, m);
	}
	fetch_global_cleanup();
	xmlCleanupParser();
	return status;
}
