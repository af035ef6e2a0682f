/* msg.c - stderr and stdout lines (see msg.h). */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int level = MSG_NORMAL;
static bool results = true;
static int tty = -1;       /* stderr is a terminal: unknown, no, yes */
static bool shown;         /* a progress line is on screen */
static double last_drawn;

static void clear_progress(void)
{
	if (shown) {
		fputs("\r\033[K", stderr);
		shown = false;
	}
}

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

__attribute__((format(printf, 3, 0)))
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
	clear_progress();
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
	clear_progress();
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
	clear_progress();
	va_start(ap, fmt);
	vline(stderr, "medium2jekyll: ", fmt, ap);
	va_end(ap);
}

void msg_out(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_NORMAL || !results)
		return;
	clear_progress();
	va_start(ap, fmt);
	vline(stdout, "", fmt, ap);
	va_end(ap);
}

void msg_progress(const char *fmt, ...)
{
	struct timespec ts;
	double now;
	va_list ap;

	if (level < MSG_NORMAL)
		return;
	if (tty < 0)
		tty = isatty(STDERR_FILENO) ? 1 : 0;
	if (!tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (shown && now - last_drawn < 0.5)
		return;
	last_drawn = now;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	shown = true;
}

void msg_progress_done(void)
{
	if (shown) {
		fputc('\n', stderr);
		shown = false;
	}
}

void msg_progress_final(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_NORMAL)
		return;
	if (tty < 0)
		tty = isatty(STDERR_FILENO) ? 1 : 0;
	if (!tty && level < MSG_VERBOSE)
		return;
	fflush(stdout);
	msg_progress_done();
	va_start(ap, fmt);
	vline(stderr, "medium2jekyll: ", fmt, ap);
	va_end(ap);
}

void msg_print(const char *s, unsigned long len)
{
	fwrite(s, 1, len, stdout);
}
