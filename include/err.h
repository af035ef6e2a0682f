/* err.h - error codes and the error record every fallible function fills.
 *
 * Convention: a fallible function returns 0 (M2J_OK) or an M2J_E* code and
 * takes `struct m2j_err *err` as its last argument (may be NULL).  The
 * detail is recorded where the failure happens; callers add context on the
 * way up with m2j_err_prefix().
 */
#ifndef M2J_ERR_H
#define M2J_ERR_H

enum m2j_code {
	M2J_OK = 0,
	M2J_ENOMEM,   /* out of memory */
	M2J_EIO,      /* file system error */
	M2J_EFETCH,   /* network / transfer error */
	M2J_EHTTP,    /* non-2xx status */
	M2J_ELIMIT,   /* a size, depth or count limit was crossed */
	M2J_EPARSE,   /* malformed input (XML, YAML...) */
	M2J_ENOTFEED, /* well-formed but not a feed */
	M2J_EDATE,    /* missing or invalid date */
	M2J_EUSAGE,   /* bad command line or config */
	M2J_EEXIST,   /* target exists and is not ours */
	M2J_EUNSAFE,  /* refused for safety (symlink, path escape...) */
	M2J_ELOCKED,  /* another run holds the lock */
	M2J_EINTERNAL,
	M2J_ENOSPACE  /* the disk is full */
};

#define M2J_ERR_MSG 512

struct m2j_err {
	int code;
	char msg[M2J_ERR_MSG];
};

/* Sets code and message; returns code so callers can `return m2j_err_set(...)`.
 * err may be NULL. */
int m2j_err_set(struct m2j_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prepends "prefix: " to the message; returns err->code. */
int m2j_err_prefix(struct m2j_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void m2j_err_clear(struct m2j_err *err);
const char *m2j_code_name(int code);

#endif
