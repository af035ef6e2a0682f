/* fsatomic.c - shared file-system steps of the writers (see fsatomic.h). */
#include "fsatomic.h"
#include "caps.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define TMP_PREFIX ".m2j-"
#define TMP_SUFFIX ".tmp"

int fsatomic_mkdirs(const char *dir, struct m2j_err *err)
{
	char path[CAP_PATH_LEN];
	size_t n = strlen(dir), i;

	if (n == 0 || n >= sizeof path)
		return m2j_err_set(err, M2J_EUSAGE, "folder name too long or empty: %.80s", dir);
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return m2j_err_set(err, M2J_EIO, "cannot create %s: %s", path, strerror(errno));
		path[i] = i == n ? '\0' : '/';
	}
	return 0;
}

/* A temporary file of ours whose writer is gone: ".m2j-<pid>-<n>.tmp". */
bool fsatomic_stale_tmp(const char *name)
{
	size_t n = strlen(name), lp = strlen(TMP_PREFIX), ls = strlen(TMP_SUFFIX);
	char *end;
	long pid;

	if (n < lp + ls || strncmp(name, TMP_PREFIX, lp) != 0 ||
	    strcmp(name + n - ls, TMP_SUFFIX) != 0)
		return false;
	errno = 0;
	pid = strtol(name + lp, &end, 10);
	if (errno || end == name + lp || *end != '-' || pid <= 0)
		return true;
	if (pid == (long)getpid())
		return false;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

void fsatomic_clean_stale(int dirfd)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (fsatomic_stale_tmp(de->d_name))
			unlinkat(dirfd, de->d_name, 0);
	closedir(d);
}

int fsatomic_write_tmp(int dirfd, const char *dir, const void *data, size_t len, bool batch,
                       char tmp[FSATOMIC_TMP_NAME], struct m2j_err *err)
{
	static unsigned long counter;
	const char *p = data;
	int fd = -1, tries, saved;

	for (tries = 0; tries < 100 && fd < 0; tries++) {
		snprintf(tmp, FSATOMIC_TMP_NAME, TMP_PREFIX "%ld-%lu%lu" TMP_SUFFIX, (long)getpid(),
		         (unsigned long)time(NULL) % 100000, counter++);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		return m2j_err_set(err, M2J_EIO, "cannot create a file in %s: %s", dir, strerror(errno));
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			saved = w < 0 ? errno : ENOSPC;
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (!batch && fsync(fd) != 0) {
		saved = errno;
		goto fail;
	}
	if (close(fd) != 0) {
		saved = errno;
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	return m2j_err_set(err, saved == ENOSPC || saved == EDQUOT ? M2J_ENOSPACE : M2J_EIO,
	                   "cannot write to %s: %s", dir, strerror(saved));
}

int fsatomic_link_free(int dirfd, const char *dir, const char *tmp, const char *stem,
                       const char *ext, int max, fsatomic_taken_fn taken, void *arg,
                       char *out, size_t outsz, struct m2j_err *err)
{
	for (int i = 1; i <= max; i++) {
		struct stat st;
		int n = i == 1 ? snprintf(out, outsz, "%s%s", stem, ext)
		               : snprintf(out, outsz, "%s-%d%s", stem, i, ext);

		if (n < 0 || (size_t)n >= outsz)
			return m2j_err_set(err, M2J_ELIMIT, "file name too long: %s%s", stem, ext);
		if (taken && taken(out, arg))
			continue;
		if (!tmp) {
			if (dirfd >= 0 && fstatat(dirfd, out, &st, AT_SYMLINK_NOFOLLOW) == 0)
				continue;
			return 0;
		}
		if (linkat(dirfd, tmp, dirfd, out, 0) == 0)
			return 0;
		if (errno != EEXIST)
			return m2j_err_set(err, M2J_EIO, "cannot create %s/%s: %s", dir, out,
			                   strerror(errno));
	}
	return m2j_err_set(err, M2J_EEXIST, "%s: no free file name for %s%s", dir, stem, ext);
}
