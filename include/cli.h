/* cli.h - command-line parsing: options are data (a table per command),
 * and what every command shares: its help, --version, the statuses a
 * command returns (main maps them to exit statuses).  Never touches the
 * network or files; prints only on stdout (help, version). */
#ifndef M2J_CLI_H
#define M2J_CLI_H

#include <stdbool.h>

#include "err.h"

enum cli_arg { CLI_NOARG, CLI_ARG };

/* What a command returns; main turns it into the exit status. */
enum cli_status {
	CLI_OK = 0,     /* all fine (also after --help, --version) */
	CLI_FAILED = 1, /* some source, feed, member or item failed */
	CLI_USAGE = 2,  /* usage or config error; err says why */
	CLI_LOCKED = 3  /* another sync holds the lock */
};

/* A command: run gets argv[0] = the command's name and returns a
 * cli_status; on CLI_USAGE (and on a failure that stopped the run) err
 * holds the message, which main prints.  help is its --help text, in
 * parts, NULL-terminated. */
struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv, struct m2j_err *err);
	const char *const *help;
	const char *summary; /* its line in the main help */
};

/* The options every command takes, with ids below the post options'. */
enum { CLI_O_HELP = 900, CLI_O_VERSION, CLI_O_QUIET, CLI_O_VERBOSE };
#define CLI_COMMON_TABLE \
	{ "help", 'h', CLI_NOARG, CLI_O_HELP }, \
	{ "version", 0, CLI_NOARG, CLI_O_VERSION }, \
	{ "quiet", 'q', CLI_NOARG, CLI_O_QUIET }, \
	{ "verbose", 'v', CLI_NOARG, CLI_O_VERBOSE }

/* Applies a common option: false when id is not one; else true, with
 * *done set when the command is over (its help or the version printed:
 * return CLI_OK). */
bool cli_common(int id, const char *const *help, bool *done);

/* Prints a help (parts, NULL-terminated) on stdout.  Returns CLI_OK. */
int cli_help(const char *const *parts);
/* Prints "medium2jekyll VERSION".  Returns CLI_OK. */
int cli_version(void);

struct cli_opt {
	const char *lname; /* without "--" */
	char sname;        /* 0 when none */
	enum cli_arg arg;
	int id;
};

struct cli_state {
	int argc;
	char **argv;
	int i;            /* next argv index */
	const char *rest; /* rest of a bundle of short options */
	bool dashdash;
};

void cli_init(struct cli_state *st, int argc, char **argv);
/* Next option or operand.  Returns 1 with *id and *arg set for an option,
 * 2 with *arg set for an operand (*id = 0), 0 at the end, or M2J_EUSAGE
 * (negative: -M2J_EUSAGE) with err filled. */
int cli_next(struct cli_state *st, const struct cli_opt *opts, int *id,
             const char **arg, struct m2j_err *err);

/* Parses a whole non-negative number (with an optional k/M/G suffix when
 * sizes is true).  0 or -1. */
int cli_number(const char *s, bool sizes, unsigned long long *out);

#endif
