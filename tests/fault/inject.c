/* inject.c - LD_PRELOAD fault injection for tests/e2e/fault_injection.sh.
 *
 *   M2J_FAIL=write|fsync|rename|linkat|close|open|malloc   the function
 *   M2J_FAIL_AT=N      fail its Nth call (1-based), once; 0 = only count
 *   M2J_FAIL_REPORT=F  at exit, write the number of calls counted to F
 *
 * Deterministic by construction: counting starts when main starts (our
 * __libc_start_main wraps main), so the dynamic loader's and libraries'
 * start-up calls never count, and only calls that a run makes the same way
 * every time count:
 *   write, fsync, close      on descriptors >= 3 (stdout and stderr are
 *                            where the failure is reported; a run that
 *                            cannot print is not what we test)
 *   open, openat             every call (feed file, output folder, posts,
 *                            temporary files, CA bundle...)
 *   rename, renameat, linkat every call
 *   malloc, calloc, realloc  every call (libxml2, libcurl, libyaml
 *                            included: they must fail cleanly too)
 * The failed call has the effect Linux gives it: write, fsync, rename,
 * linkat and open do nothing; close does close the descriptor (POSIX leaves
 * it unspecified, Linux always releases it) and returns -1.  errno: ENOSPC
 * for write, EIO for fsync, close, rename and linkat, EACCES for open,
 * ENOMEM for malloc.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

enum which { F_NONE, F_WRITE, F_FSYNC, F_RENAME, F_LINKAT, F_CLOSE, F_OPEN, F_MALLOC };

static enum which which;
static unsigned long fail_at, calls;
static int armed;
static const char *report;

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

/* True when this call of w is the one to fail; counts it. */
static int hit(enum which w)
{
	if (!armed || w != which)
		return 0;
	calls++;
	return fail_at && calls == fail_at;
}

static void raw_write(int fd, const char *s, size_t n)
{
	while (n > 0) {
		long r = syscall(SYS_write, fd, s, n);

		if (r <= 0)
			return;
		s += r;
		n -= (size_t)r;
	}
}

static void at_end(void)
{
	char line[64];
	int fd, n;

	if (!report || !armed)
		return;
	armed = 0;
	fd = (int)syscall(SYS_openat, AT_FDCWD, report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof line, "%lu\n", calls);
	raw_write(fd, line, (size_t)n);
	syscall(SYS_close, fd);
}

static void setup(void)
{
	static const char *const names[] = { "", "write", "fsync", "rename", "linkat",
	                                     "close", "open", "malloc" };
	const char *f = getenv("M2J_FAIL"), *at = getenv("M2J_FAIL_AT");
	size_t i;

	report = getenv("M2J_FAIL_REPORT");
	if (!f)
		return;
	for (i = 1; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(f, names[i]) == 0)
			which = (enum which)i;
	fail_at = at ? strtoul(at, NULL, 10) : 0;
}

/* ---- main wrapper ---- */

typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

static int wrapped_main(int argc, char **argv, char **envp)
{
	setup();
	armed = which != F_NONE;
	atexit(at_end);
	return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end);

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	int (*real)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);

	*(void **)&real = dlsym(RTLD_NEXT, "__libc_start_main");
	real_main = main;
	return real(wrapped_main, argc, argv, init, fini, rtld_fini, stack_end);
}

/* ---- the functions ---- */

#define REAL(name) \
	static __typeof__(name) *real_##name; \
	if (!real_##name) *(void **)&real_##name = dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write);
	if (fd >= 3 && hit(F_WRITE)) {
		errno = ENOSPC;
		return -1;
	}
	return real_write(fd, buf, n);
}

int fsync(int fd)
{
	REAL(fsync);
	if (fd >= 3 && hit(F_FSYNC)) {
		errno = EIO;
		return -1;
	}
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	REAL(fdatasync);
	if (fd >= 3 && hit(F_FSYNC)) {
		errno = EIO;
		return -1;
	}
	return real_fdatasync(fd);
}

int close(int fd)
{
	REAL(close);
	if (fd >= 3 && hit(F_CLOSE)) {
		real_close(fd);
		errno = EIO;
		return -1;
	}
	return real_close(fd);
}

int rename(const char *a, const char *b)
{
	REAL(rename);
	if (hit(F_RENAME)) {
		errno = EIO;
		return -1;
	}
	return real_rename(a, b);
}

int renameat(int da, const char *a, int db, const char *b)
{
	REAL(renameat);
	if (hit(F_RENAME)) {
		errno = EIO;
		return -1;
	}
	return real_renameat(da, a, db, b);
}

int linkat(int da, const char *a, int db, const char *b, int flags)
{
	REAL(linkat);
	if (hit(F_LINKAT)) {
		errno = EIO;
		return -1;
	}
	return real_linkat(da, a, db, b, flags);
}

int link(const char *a, const char *b)
{
	REAL(link);
	if (hit(F_LINKAT)) {
		errno = EIO;
		return -1;
	}
	return real_link(a, b);
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t m;
	REAL(open);

	va_start(ap, flags);
	m = mode_arg(flags, ap);
	va_end(ap);
	if (hit(F_OPEN)) {
		errno = EACCES;
		return -1;
	}
	return real_open(path, flags, m);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t m;
	REAL(open64);

	va_start(ap, flags);
	m = mode_arg(flags, ap);
	va_end(ap);
	if (hit(F_OPEN)) {
		errno = EACCES;
		return -1;
	}
	return real_open64(path, flags, m);
}

int openat(int dfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t m;
	REAL(openat);

	va_start(ap, flags);
	m = mode_arg(flags, ap);
	va_end(ap);
	if (hit(F_OPEN)) {
		errno = EACCES;
		return -1;
	}
	return real_openat(dfd, path, flags, m);
}

int openat64(int dfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t m;
	REAL(openat64);

	va_start(ap, flags);
	m = mode_arg(flags, ap);
	va_end(ap);
	if (hit(F_OPEN)) {
		errno = EACCES;
		return -1;
	}
	return real_openat64(dfd, path, flags, m);
}

void *malloc(size_t n)
{
	if (hit(F_MALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	if (hit(F_MALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	if (hit(F_MALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}
