/* main.c - medium2jekyll: command line -> command -> exit status.
 * The only file that chooses an exit status. */
#include "cli.h"
#include "cmd_archive.h"
#include "cmd_convert.h"
#include "cmd_import.h"
#include "cmd_init.h"
#include "cmd_status.h"
#include "cmd_sync.h"
#include "fetch.h"
#include "msg.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_LOCKED = 3 };

static int run_convert(int argc, char **argv, struct m2j_err *err)
{
	return cmd_convert(argc, argv, NULL, err);
}

/* Every command: one row each (name, run, help, line in the main help).
 * help NULL: the command prints its own on --help. */
static const struct cli_command commands[] = {
	{ "import", cmd_import, cmd_import_help,
	  "SOURCE...   write the posts of each feed into _posts/" },
	{ "import-archive", cmd_archive, cmd_archive_help,
	  "ARCHIVE  write every post of Medium's export .zip or folder" },
	{ "sync", cmd_sync, cmd_sync_help,
	  "[-c FILE]     bring a site up to date with every feed of its config" },
	{ "convert", run_convert, cmd_convert_help,
	  "[FILE]     convert one HTML document to the Markdown import writes" },
	{ "init", cmd_init, NULL,
	  "[DIR]         prepare a Jekyll site for sync (--from FILE: migrate)" },
	{ "status", cmd_status, NULL,
	  "[-c FILE]   the health of every feed of the config, from the state" },
	{ NULL, NULL, NULL, NULL }
};

static const char usage_head[] =
	"Usage: medium2jekyll COMMAND [options]\n"
	"       medium2jekyll help COMMAND\n"
	"\n"
	"Import Medium (and any RSS 2.0, RSS 1.0 or Atom) feeds into a Jekyll site.\n"
	"\n"
	"Commands:\n";

static const char usage_tail[] =
	"\n"
	"Run 'medium2jekyll COMMAND --help' (or 'medium2jekyll help COMMAND') for a\n"
	"command's options.\n"
	"  -h, --help         this help\n"
	"      --version      print the version\n"
	"\n"
	"Exit status: 0 all fine, 1 some source or item failed, 2 usage error,\n"
	"3 another sync is running.\n";

static int main_help(void)
{
	const struct cli_command *c;
	char line[160];
	const char *const head[] = { usage_head, NULL }, *const tail[] = { usage_tail, NULL };

	cli_help(head);
	for (c = commands; c->name; c++) {
		const char *const one[] = { line, NULL };

		snprintf(line, sizeof line, "  %s %s\n", c->name, c->summary);
		cli_help(one);
	}
	return cli_help(tail);
}

static const struct cli_command *find_command(const char *name)
{
	const struct cli_command *c;

	for (c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int usage_error(const char *cmd, const char *msg)
{
	if (cmd)
		msg_error("%s: %s", cmd, msg);
	else
		msg_error("%s", msg);
	fprintf(stderr, "Try 'medium2jekyll %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

/* A command's cli_status -> the exit status; says what err holds. */
static int exit_status(const char *cmd, int st, const struct m2j_err *err)
{
	switch (st) {
	case CLI_OK:
		return EXIT_OK;
	case CLI_USAGE:
		return usage_error(cmd, err->msg[0] ? err->msg : "usage error");
	case CLI_LOCKED:
		msg_error("%s", err->msg);
		return EXIT_LOCKED;
	default:
		if (err->msg[0])
			msg_error("%s", err->msg);
		return EXIT_FAILED;
	}
}

/* `help [COMMAND]`. */
static int help_command(int argc, char **argv)
{
	const struct cli_command *c;
	char m[128];

	if (argc < 3)
		return main_help();
	if (argc > 3)
		return usage_error(NULL, "help takes one COMMAND at most");
	if (!(c = find_command(argv[2]))) {
		snprintf(m, sizeof m, "help: no command '%.60s'", argv[2]);
		return usage_error(NULL, m);
	}
	if (c->help)
		return cli_help(c->help);
	{
		struct m2j_err err = { 0, "" };
		char *hargv[] = { argv[2], (char *)(uintptr_t)"--help", NULL };

		return exit_status(c->name, c->run(2, hargv, &err), &err);
	}
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
	const struct cli_command *c;
	int status;

	if (!cmd)
		return usage_error(NULL, "no command given");
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
		return main_help();
	if (strcmp(cmd, "help") == 0)
		return help_command(argc, argv);
	if (strcmp(cmd, "--version") == 0)
		return cli_version();
	if (!(c = find_command(cmd))) {
		char m[128];

		snprintf(m, sizeof m, "unknown command '%.60s'", cmd);
		return usage_error(NULL, m);
	}
	xmlMemSetup(free, xml_malloc, xml_realloc, xml_strdup);
	LIBXML_TEST_VERSION
	if (fetch_global_init(&err) != 0) {
		msg_error("%s", err.msg);
		return EXIT_FAILED;
	}
	status = exit_status(cmd, c->run(argc - 1, argv + 1, &err), &err);
	fetch_global_cleanup();
	xmlCleanupParser();
	return status;
}
