/* msg.c - stderr and stdout lines (see msg.h). */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>

static int level = MSG_NORMAL;
static bool results = true;

void msg_set_level(int l)
{
	level = l;
}

void msg_set_results(bool on)
{
	results = on;
}

int msg_level(void)
{
	return level;
}

static void vline(FILE *f, const char *pre, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vline(FILE *f, const char *pre, const char *fmt, va_list ap)
{
	fputs(pre, f);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void msg_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vline(stderr, "medium2jekyll: error: ", fmt, ap);
	va_end(ap);
}

void msg_warn(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_NORMAL)
		return;
	fflush(stdout);
	va_start(ap, fmt);
	vline(stderr, "medium2jekyll: warning: ", fmt, ap);
	va_end(ap);
}

void msg_note(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_VERBOSE)
		return;
	fflush(stdout);
	va_start(ap, fmt);
	vline(stderr, "medium2jekyll: ", fmt, ap);
	va_end(ap);
}

void msg_out(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_NORMAL || !results)
		return;
	va_start(ap, fmt);
	vline(stdout, "", fmt, ap);
	va_end(ap);
}

void msg_print(const char *s, unsigned long len)
{
	fwrite(s, 1, len, stdout);
}
