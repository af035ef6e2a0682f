/* cli.c - option parsing (see cli.h). */
#include "cli.h"
#include "msg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void cli_init(struct cli_state *st, int argc, char **argv)
{
	st->argc = argc;
	st->argv = argv;
	st->i = 0;
	st->rest = NULL;
	st->dashdash = false;
}

static const struct cli_opt *find_long(const struct cli_opt *o, const char *name, size_t n)
{
	for (; o->lname || o->sname; o++)
		if (o->lname && strlen(o->lname) == n && strncmp(o->lname, name, n) == 0)
			return o;
	return NULL;
}

static const struct cli_opt *find_short(const struct cli_opt *o, char c)
{
	for (; o->lname || o->sname; o++)
		if (o->sname == c)
			return o;
	return NULL;
}

int cli_next(struct cli_state *st, const struct cli_opt *opts, int *id,
             const char **arg, struct m2j_err *err)
{
	const struct cli_opt *o;
	const char *a;

	*id = 0;
	*arg = NULL;
	if (st->rest && *st->rest) {
		o = find_short(opts, *st->rest);
		if (!o)
			return -m2j_err_set(err, M2J_EUSAGE, "unknown option -%c", *st->rest);
		st->rest++;
		*id = o->id;
		if (o->arg == CLI_ARG) {
			if (*st->rest) {
				*arg = st->rest;
			} else if (st->i < st->argc) {
				*arg = st->argv[st->i++];
			} else {
				return -m2j_err_set(err, M2J_EUSAGE, "option -%c needs a value", o->sname);
			}
			st->rest = NULL;
		}
		return 1;
	}
	st->rest = NULL;
	if (st->i >= st->argc)
		return 0;
	a = st->argv[st->i++];
	if (st->dashdash || a[0] != '-' || a[1] == '\0') {
		*arg = a;
		return 2;
	}
	if (strcmp(a, "--") == 0) {
		st->dashdash = true;
		return cli_next(st, opts, id, arg, err);
	}
	if (a[1] == '-') {
		const char *eq = strchr(a + 2, '=');
		size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

		o = find_long(opts, a + 2, n);
		if (!o)
			return -m2j_err_set(err, M2J_EUSAGE, "unknown option %.*s", (int)(n + 2), a);
		*id = o->id;
		if (o->arg == CLI_ARG) {
			if (eq)
				*arg = eq + 1;
			else if (st->i < st->argc)
				*arg = st->argv[st->i++];
			else
				return -m2j_err_set(err, M2J_EUSAGE, "option --%s needs a value", o->lname);
		} else if (eq) {
			return -m2j_err_set(err, M2J_EUSAGE, "option --%s takes no value", o->lname);
		}
		return 1;
	}
	st->rest = a + 1;
	return cli_next(st, opts, id, arg, err);
}

int cli_number(const char *s, bool sizes, unsigned long long *out)
{
	char *end;
	unsigned long long v, mul = 1;

	if (!s || s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (sizes && *end) {
		switch (*end) {
		case 'k': case 'K': mul = 1ULL << 10; break;
		case 'm': case 'M': mul = 1ULL << 20; break;
		case 'g': case 'G': mul = 1ULL << 30; break;
		default: return -1;
		}
		end++;
		if (*end == 'i' || *end == 'B')
			end++;
		if (*end == 'B')
			end++;
	}
	if (*end || (v && mul > ~0ULL / v))
		return -1;
	*out = v * mul;
	return 0;
}

int cli_help(const char *const *parts)
{
	for (; *parts; parts++)
		msg_print(*parts, strlen(*parts));
	return CLI_OK;
}

int cli_version(void)
{
	static const char v[] = "medium2jekyll " M2J_VERSION "\n";

	msg_print(v, sizeof v - 1);
	return CLI_OK;
}

bool cli_common(int id, const char *const *help, bool *done)
{
	*done = false;
	switch (id) {
	case CLI_O_HELP: cli_help(help); *done = true; return true;
	case CLI_O_VERSION: cli_version(); *done = true; return true;
	case CLI_O_QUIET: msg_set_level(MSG_QUIET); return true;
	case CLI_O_VERBOSE: msg_set_level(MSG_VERBOSE); return true;
	default: return false;
	}
}
