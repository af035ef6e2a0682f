/* err.c - the error record. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int m2j_err_set(struct m2j_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return code;
}

int m2j_err_prefix(struct m2j_err *err, const char *fmt, ...)
{
	char pre[M2J_ERR_MSG], old[M2J_ERR_MSG];
	va_list ap;

	if (!err)
		return M2J_EINTERNAL;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	old[sizeof old - 1] = '\0';
	{
		size_t lp = strlen(pre), lo = strlen(old), cap = sizeof err->msg - 1;

		if (lp > cap)
			lp = cap;
		memcpy(err->msg, pre, lp);
		if (lp + 2 <= cap) {
			memcpy(err->msg + lp, ": ", 2);
			lp += 2;
		}
		if (lo > cap - lp)
			lo = cap - lp;
		memcpy(err->msg + lp, old, lo);
		err->msg[lp + lo] = '\0';
	}
	return err->code;
}

void m2j_err_clear(struct m2j_err *err)
{
	if (err) {
		err->code = M2J_OK;
		err->msg[0] = '\0';
	}
}

const char *m2j_code_name(int code)
{
	static const char *const names[] = {
		"ok", "out of memory", "I/O error", "fetch error",
		"HTTP error", "limit exceeded", "parse error", "not a feed",
		"bad date", "usage error", "exists", "unsafe",
		"locked", "internal error", "disk full"
	};

	if (code < 0 || (size_t)code >= sizeof names / sizeof names[0])
		return "unknown error";
	return names[code];
}
