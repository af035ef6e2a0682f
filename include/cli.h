/* cli.h - command-line parsing: options are data (a table per command).
 * Never touches the network or files. */
#ifndef M2J_CLI_H
#define M2J_CLI_H

#include <stdbool.h>

#include "err.h"

enum cli_arg { CLI_NOARG, CLI_ARG };

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
